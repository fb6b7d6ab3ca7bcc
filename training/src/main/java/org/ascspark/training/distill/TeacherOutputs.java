package org.ascspark.training.distill;

import java.io.File;
import java.io.IOException;
import java.io.Serializable;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.SplittableRandom;
import org.apache.hadoop.conf.Configuration;
import org.apache.hadoop.fs.FileSystem;
import org.apache.hadoop.fs.Path;
import org.apache.spark.api.java.JavaRDD;
import org.apache.spark.api.java.JavaSparkContext;
import org.apache.spark.broadcast.Broadcast;
import org.apache.spark.sql.Row;
import org.apache.spark.sql.RowFactory;
import org.apache.spark.sql.SaveMode;
import org.apache.spark.sql.SparkSession;
import org.apache.spark.sql.types.DataTypes;
import org.apache.spark.sql.types.StructType;
import org.apache.spark.storage.StorageLevel;
import org.ascspark.features.RecordSeeds;
import org.ascspark.pipeline.config.JobConfig;
import org.ascspark.pipeline.io.AtomicOutput;
import org.ascspark.training.data.Example;
import org.ascspark.training.data.Examples;
import org.ascspark.training.data.FeatureSet;
import org.ascspark.training.infer.Inference;
import org.ascspark.training.models.Models;
import org.ascspark.training.train.ModelInfo;
import org.ascspark.training.train.NativeThreads;
import org.ascspark.training.train.TrainingException;
import org.deeplearning4j.nn.graph.ComputationGraph;
import org.deeplearning4j.util.ModelSerializer;
import org.nd4j.linalg.api.ndarray.INDArray;
import org.nd4j.linalg.factory.Nd4j;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import static org.apache.spark.sql.functions.col;

/**
 * The teacher-outputs job (SPEC.md §6; Clova §4, AIT §2): one or more teachers run over a split of
 * the features on the executors and write, per (clip, variant, segment), what a student is distilled
 * from. Every row (all augmentation variants) is scored by every teacher over windows of that
 * teacher's training crop, averaged over the windows as {@code ./asc evaluate} does; then
 * <ul>
 *   <li>{@code logits}: the mean over teachers of log p (log-softmax, i.e. the teacher's logits
 *       shifted so that they log-sum-exp to 0; a softmax is unchanged by that shift);</li>
 *   <li>{@code soft_labels}: the mean over teachers of softmax(log p / T);</li>
 *   <li>{@code embedding}: the mean over teachers of the {@value Models#EMBEDDING} vector (every
 *       teacher's must have the same size);</li>
 *   <li>with {@code average-segments = k > 1} (Clova), each row's soft label is then replaced by the
 *       mean of its own and those of k - 1 other rows of the same scene and variant recorded at other
 *       locations ({@code identifier}), chosen per row from the seed.</li>
 * </ul>
 *
 * <p>Schema of {@code <out>/outputs}: clip_id string, variant int, segment int, scene_label string,
 * identifier string, logits array&lt;float&gt;, soft_labels array&lt;float&gt;, embedding
 * array&lt;float&gt;. {@code _manifest.json} names the features hash, the teachers, the classes (the
 * order of the arrays), the temperature and the embedding size.
 */
public final class TeacherOutputs {
  private static final Logger LOG = LoggerFactory.getLogger(TeacherOutputs.class);
  /** Folder of the output rows below the output folder. */
  public static final String ROWS = "outputs";
  private static final double LOG_FLOOR = 1e-10;

  /** Output schema. */
  public static final StructType SCHEMA = new StructType()
      .add("clip_id", DataTypes.StringType, false)
      .add("variant", DataTypes.IntegerType, false)
      .add("segment", DataTypes.IntegerType, false)
      .add("scene_label", DataTypes.StringType, true)
      .add("identifier", DataTypes.StringType, true)
      .add("logits", DataTypes.createArrayType(DataTypes.FloatType, false), false)
      .add("soft_labels", DataTypes.createArrayType(DataTypes.FloatType, false), false)
      .add("embedding", DataTypes.createArrayType(DataTypes.FloatType, false), false);

  /**
   * What a run produced.
   *
   * @param out the output folder
   * @param rows rows written
   * @param classes class order of the arrays
   * @param embeddingSize length of the embedding column
   */
  public record Result(String out, long rows, List<String> classes, int embeddingSize) {}

  /** One row's combined teacher outputs. */
  record Row3(String key, String clipId, int variant, int segment, int label, float[] logits,
      float[] soft, float[] embedding) implements Serializable {}

  private TeacherOutputs() {}

  /**
   * Runs the job.
   *
   * @param spark the session
   * @param cfg settings
   * @param job the job config (written beside the output)
   * @return the result
   * @throws IOException when the output cannot be written
   * @throws TrainingException on bad input (see the message)
   */
  public static Result run(SparkSession spark, TeacherOutputsConfig cfg, JobConfig job) throws IOException {
    Configuration hadoop = spark.sparkContext().hadoopConfiguration();
    JavaSparkContext jsc = JavaSparkContext.fromSparkContext(spark.sparkContext());
    FeatureSet features = FeatureSet.open(cfg.features(), hadoop);
    Path target = new Path(cfg.out());
    FileSystem fs = target.getFileSystem(hadoop);
    if (fs.exists(new Path(target, AtomicOutput.MANIFEST)) && !cfg.overwrite()) {
      throw new TrainingException("teacher outputs " + cfg.out() + " already exist; give overwrite=true"
          + " to replace them or another out");
    }
    List<String> classes = null;
    List<byte[]> nets = new ArrayList<>();
    List<Integer> crops = new ArrayList<>();
    int embeddingSize = -1;
    for (String t : cfg.teachers()) {
      ModelInfo info = ModelInfo.readFrom(new File(t));
      try {
        info.requireFeatures(features.featureHash(), cfg.features());
      } catch (IllegalArgumentException e) {
        throw new TrainingException("teacher " + t + ": " + e.getMessage(), e);
      }
      if (classes == null) {
        classes = info.classes();
      } else if (!classes.equals(info.classes())) {
        throw new TrainingException("teacher " + t + " has classes " + info.classes() + ", teacher "
            + cfg.teachers().get(0) + " has " + classes + ": teachers to average need the same classes");
      }
      ComputationGraph net = ModelSerializer.restoreComputationGraph(new File(t), false);
      int size = embeddingSize(net, info);
      if (embeddingSize >= 0 && size != embeddingSize) {
        throw new TrainingException("teacher " + t + " has a " + size + "-value embedding, teacher "
            + cfg.teachers().get(0) + " a " + embeddingSize + "-value one: averaged embeddings need one size");
      }
      embeddingSize = size;
      nets.add(Inference.toBytes(net));
      crops.add(info.cropFrames());
    }
    List<String> labels = Examples.labels(spark, features, cfg.split());
    for (String l : labels) {
      if (!classes.contains(l)) {
        throw new TrainingException("label '" + l + "' of split '" + cfg.split() + "' is not among the"
            + " teachers' classes " + classes);
      }
    }
    JavaRDD<Example> rows = Examples.read(spark, features, cfg.split(), false, classes);
    Broadcast<List<byte[]>> models = jsc.broadcast(nets);
    List<Integer> cropFrames = List.copyOf(crops);
    double temperature = cfg.temperature();
    int batchSize = cfg.batchSize();
    JavaRDD<Row3> scored = rows.mapPartitions(it -> {
      NativeThreads.limit(1);
      List<Example> part = new ArrayList<>();
      it.forEachRemaining(part::add);
      return combine(part, models.value(), cropFrames, batchSize, temperature).iterator();
    }).persist(StorageLevel.MEMORY_AND_DISK());
    long total = scored.count();
    if (total == 0) {
      throw new TrainingException("split '" + cfg.split() + "' of " + cfg.features() + " has no rows");
    }
    Map<String, String> identifiers = identifiers(spark, features, cfg.split());
    Broadcast<Map<String, float[]>> averaged = null;
    if (cfg.averageSegments() > 1) {
      averaged = jsc.broadcast(averageSegments(scored.collect(), identifiers, cfg.averageSegments(),
          cfg.seed()));
    }
    Broadcast<Map<String, String>> ids = jsc.broadcast(identifiers);
    Broadcast<Map<String, float[]>> soft = averaged;
    List<String> cls = List.copyOf(classes);
    JavaRDD<Row> out = scored.map(r -> RowFactory.create(r.clipId(), r.variant(), r.segment(),
        r.label() >= 0 ? cls.get(r.label()) : null, ids.value().get(r.clipId()), boxed(r.logits()),
        boxed(soft == null ? r.soft() : soft.value().get(r.key())), boxed(r.embedding())));
    try (AtomicOutput output = AtomicOutput.begin(cfg.out(), hadoop)) {
      spark.createDataFrame(out, SCHEMA).write().mode(SaveMode.ErrorIfExists).parquet(output.resolve(ROWS));
      Map<String, Object> extra = new LinkedHashMap<>();
      extra.put("features", cfg.features());
      extra.put("feature_hash", features.featureHash());
      extra.put("split", cfg.split());
      extra.put("teachers", cfg.teachers());
      extra.put("classes", classes);
      extra.put("temperature", temperature);
      extra.put("average_segments", cfg.averageSegments());
      extra.put("seed", cfg.seed());
      extra.put("embedding_size", embeddingSize);
      output.commit("teacher-outputs", job, Map.of("rows", total), extra);
    }
    scored.unpersist(false);
    LOG.info("teacher-outputs: {} rows of split {} from {} teacher(s), T = {} -> {}", total, cfg.split(),
        cfg.teachers().size(), temperature, cfg.out());
    return new Result(cfg.out(), total, classes, embeddingSize);
  }

  /** @return the recording location ({@code identifier}, "" when unknown) of every clip of a split */
  static Map<String, String> identifiers(SparkSession spark, FeatureSet features, String split) {
    Map<String, String> identifiers = new HashMap<>();
    for (Row r : features.rows(spark).filter(col("split").equalTo(split))
        .select("clip_id", "identifier").distinct().collectAsList()) {
      identifiers.put(r.getString(0), r.isNullAt(1) ? "" : r.getString(1));
    }
    return identifiers;
  }

  /** @return the length of a teacher's embedding vector, from one forward pass of zeros */
  static int embeddingSize(ComputationGraph net, ModelInfo info) {
    INDArray x = Nd4j.zeros(1, info.channels(), info.bins(), info.cropFrames());
    INDArray e = net.feedForward(x, false).get(Models.EMBEDDING);
    if (e == null) {
      throw new TrainingException("model " + info.model() + " has no '" + Models.EMBEDDING + "' vertex");
    }
    return (int) e.length();
  }

  /** Scores a partition with every teacher and combines the outputs per row. */
  static List<Row3> combine(List<Example> rows, List<byte[]> teachers, List<Integer> crops, int batchSize,
      double temperature) {
    List<List<Inference.Scored>> perTeacher = new ArrayList<>();
    for (int t = 0; t < teachers.size(); t++) {
      Inference inference = new Inference(crops.get(t), batchSize, null, 0, 0).withEmbeddings();
      perTeacher.add(inference.scoreLocal(Inference.fromBytes(teachers.get(t)), rows));
    }
    List<Row3> out = new ArrayList<>(rows.size());
    int n = teachers.size();
    for (int i = 0; i < rows.size(); i++) {
      Example e = rows.get(i);
      int k = perTeacher.get(0).get(i).probs().length;
      float[] logits = new float[k];
      float[] soft = new float[k];
      float[] emb = new float[perTeacher.get(0).get(i).embedding().length];
      for (List<Inference.Scored> s : perTeacher) {
        Inference.Scored r = s.get(i);
        double[] logP = new double[k];
        double max = Double.NEGATIVE_INFINITY;
        for (int c = 0; c < k; c++) {
          logP[c] = Math.log(Math.max(r.probs()[c], LOG_FLOOR));
          logits[c] += (float) (logP[c] / n);
          max = Math.max(max, logP[c] / temperature);
        }
        double sum = 0;
        double[] q = new double[k];
        for (int c = 0; c < k; c++) {
          q[c] = Math.exp(logP[c] / temperature - max);
          sum += q[c];
        }
        for (int c = 0; c < k; c++) {
          soft[c] += (float) (q[c] / sum / n);
        }
        for (int d = 0; d < emb.length; d++) {
          emb[d] += r.embedding()[d] / n;
        }
      }
      out.add(new Row3(e.key(), e.clipId(), e.variant(), e.segment(), e.label(), logits, soft, emb));
    }
    return out;
  }

  /**
   * Clova's averaging: each row's soft label becomes the mean of its own and those of {@code k - 1}
   * other rows with the same label and variant at other locations, drawn per row from the seed
   * (fewer when 64 draws find none, e.g. when a scene was recorded at a single location).
   */
  static Map<String, float[]> averageSegments(List<Row3> rows, Map<String, String> identifiers, int k,
      long seed) {
    Map<String, List<Row3>> groups = new HashMap<>();
    for (Row3 r : rows) {
      groups.computeIfAbsent(r.label() + "/" + r.variant(), g -> new ArrayList<>()).add(r);
    }
    for (List<Row3> g : groups.values()) {
      g.sort((a, b) -> a.key().compareTo(b.key()));
    }
    Map<String, float[]> out = new HashMap<>();
    long short_ = 0;
    for (Row3 r : rows) {
      String own = identifiers.getOrDefault(r.clipId(), "");
      List<Row3> group = groups.get(r.label() + "/" + r.variant());
      SplittableRandom rng = RecordSeeds.rng(seed, "average-segments/" + r.key());
      float[] mean = r.soft().clone();
      java.util.Set<Integer> taken = new java.util.HashSet<>();
      int used = 1;
      // rejection sampling: at most 64 draws per pick keeps this O(rows x k) for any group size
      for (int j = 0; j < k - 1 && r.label() >= 0; j++) {
        for (int attempt = 0; attempt < 64; attempt++) {
          int pick = rng.nextInt(group.size());
          Row3 o = group.get(pick);
          if (!taken.contains(pick) && !identifiers.getOrDefault(o.clipId(), "").equals(own)) {
            taken.add(pick);
            for (int c = 0; c < mean.length; c++) {
              mean[c] += o.soft()[c];
            }
            used++;
            break;
          }
        }
      }
      if (used < k) {
        short_++;
      }
      for (int c = 0; c < mean.length; c++) {
        mean[c] /= used;
      }
      out.put(r.key(), mean);
    }
    if (short_ > 0) {
      LOG.warn("teacher-outputs: {} of {} rows had fewer than {} rows of their scene at other locations"
          + " to average with", short_, rows.size(), k - 1);
    }
    return out;
  }

  private static Float[] boxed(float[] v) {
    Float[] b = new Float[v.length];
    for (int i = 0; i < v.length; i++) {
      b[i] = v[i];
    }
    return b;
  }
}
