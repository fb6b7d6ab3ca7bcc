package org.ascspark.training.distill;

import static org.apache.spark.sql.functions.col;
import static org.apache.spark.sql.functions.lit;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.io.File;
import java.io.IOException;
import java.io.InputStream;
import java.io.Serializable;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import org.apache.hadoop.conf.Configuration;
import org.apache.hadoop.fs.FileSystem;
import org.apache.hadoop.fs.Path;
import org.apache.spark.api.java.JavaRDD;
import org.apache.spark.api.java.JavaSparkContext;
import org.apache.spark.broadcast.Broadcast;
import org.apache.spark.sql.Dataset;
import org.apache.spark.sql.Row;
import org.apache.spark.sql.SparkSession;
import org.apache.spark.sql.types.DataTypes;
import org.ascspark.pipeline.io.AtomicOutput;
import org.ascspark.training.data.Example;
import org.ascspark.training.data.Examples;
import org.ascspark.training.data.FeatureSet;
import org.ascspark.training.infer.Inference;
import org.ascspark.training.models.ModelSpec;
import org.ascspark.training.models.Models;
import org.ascspark.training.nn.DistillationLoss;
import org.ascspark.training.nn.EmbeddingDistanceLoss;
import org.ascspark.training.train.NativeThreads;
import org.ascspark.training.train.TrainingException;
import org.deeplearning4j.nn.conf.ComputationGraphConfiguration;
import org.deeplearning4j.nn.conf.graph.LayerVertex;
import org.deeplearning4j.nn.conf.layers.BaseOutputLayer;
import org.deeplearning4j.nn.conf.layers.Layer;
import org.deeplearning4j.nn.conf.layers.LossLayer;
import org.deeplearning4j.nn.graph.ComputationGraph;
import org.deeplearning4j.util.ModelSerializer;
import org.nd4j.linalg.api.ndarray.INDArray;
import org.nd4j.linalg.lossfunctions.ILossFunction;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * What the training loop needs to distil a student from teacher outputs (SPEC.md §6; Clova §4,
 * AIT §2.2, Hinton et al.): the training rows joined with the teachers' soft labels and embeddings
 * by (clip_id, variant, segment); the student network with the distillation losses (the output
 * layer under {@link DistillationLoss}, and with an embedding term a second, training-only output
 * under {@link EmbeddingDistanceLoss}, see {@link Models.EmbeddingHead}); the deployable student
 * (training heads removed, the plain loss back); and Clova's teacher replacement, which recomputes
 * the targets with the student itself (soft labels at the teacher outputs' temperature, averaged
 * over other locations as the teacher outputs were, and the student's embedding).
 */
public final class Distillation implements Serializable {
  private static final Logger LOG = LoggerFactory.getLogger(Distillation.class);
  private static final long serialVersionUID = 1L;

  /**
   * The teacher outputs' manifest.
   *
   * @param dir the teacher-outputs folder
   * @param featureHash hash of the features the teachers scored
   * @param classes class order of the arrays
   * @param temperature soft-label temperature
   * @param teachers the teacher model zips
   * @param embeddingSize length of the embedding column
   * @param averageSegments rows averaged per soft label (1 = none)
   * @param seed seed of that averaging
   */
  public record Manifest(String dir, String featureHash, List<String> classes, double temperature,
      List<String> teachers, int embeddingSize, int averageSegments, long seed) implements Serializable {}

  private final DistillConfig cfg;
  private final Manifest manifest;

  private Distillation(DistillConfig cfg, Manifest manifest) {
    this.cfg = cfg;
    this.manifest = manifest;
  }

  /**
   * @param cfg the distillation settings
   * @param hadoop file system settings
   * @return the distillation over {@code cfg.teacherOutputs()}
   * @throws IOException when the manifest cannot be read
   * @throws TrainingException when the folder holds no teacher outputs or invalid ones
   */
  public static Distillation open(DistillConfig cfg, Configuration hadoop) throws IOException {
    Path dir = new Path(cfg.teacherOutputs());
    FileSystem fs = dir.getFileSystem(hadoop);
    Path file = new Path(dir, AtomicOutput.MANIFEST);
    if (!fs.exists(file)) {
      throw new TrainingException("no teacher outputs at " + cfg.teacherOutputs() + " (no "
          + AtomicOutput.MANIFEST + "); run ./asc teacher-outputs first and give its out as"
          + " distill.teacher-outputs");
    }
    JsonNode m;
    try (InputStream in = fs.open(file)) {
      m = new ObjectMapper().readTree(in);
    }
    if (!"teacher-outputs".equals(m.path("job").asText())) {
      throw new TrainingException(cfg.teacherOutputs() + " was written by " + m.path("job").asText("?")
          + ", not by ./asc teacher-outputs");
    }
    List<String> classes = new ArrayList<>();
    m.path("classes").forEach(c -> classes.add(c.asText()));
    List<String> teachers = new ArrayList<>();
    m.path("teachers").forEach(t -> teachers.add(t.asText()));
    double t = m.path("temperature").asDouble(Double.NaN);
    if (!(t > 0) || !Double.isFinite(t)) {
      throw new TrainingException("the teacher outputs " + cfg.teacherOutputs() + " have temperature " + t
          + "; it must be > 0 (recompute them with ./asc teacher-outputs temperature=...)");
    }
    Manifest manifest = new Manifest(cfg.teacherOutputs(), m.path("feature_hash").asText(), List.copyOf(classes),
        t, List.copyOf(teachers), m.path("embedding_size").asInt(0), m.path("average_segments").asInt(1),
        m.path("seed").asLong(1));
    if (cfg.embeddingTerms() && manifest.embeddingSize() < 1) {
      throw new TrainingException("distill.loss.cosine / mse need teacher embeddings; " + cfg.teacherOutputs()
          + " has none");
    }
    return new Distillation(cfg, manifest);
  }

  /** @return the teacher outputs' manifest */
  public Manifest manifest() {
    return manifest;
  }

  /** @return the settings */
  public DistillConfig config() {
    return cfg;
  }

  /** @return length of the embedding target of the batches: the teachers' size, or 0 without an embedding term */
  public int embeddingTargetSize() {
    return cfg.embeddingTerms() ? manifest.embeddingSize() : 0;
  }

  /**
   * The training rows with their teacher outputs.
   *
   * @param spark the session
   * @param features the student's features
   * @param split the training split
   * @param classes the run's classes
   * @return the rows
   * @throws TrainingException on another feature hash or other classes, or rows without teacher outputs
   *     unless {@code distill.allow-missing}
   */
  public JavaRDD<Example> trainRows(SparkSession spark, FeatureSet features, String split, List<String> classes) {
    if (!features.featureHash().equals(manifest.featureHash())) {
      throw new TrainingException("teacher/student feature-hash mismatch: the teacher outputs " + manifest.dir()
          + " were computed on features " + manifest.featureHash() + ", the student trains on "
          + features.dir() + " (hash " + features.featureHash() + "); distil on the teachers' features or"
          + " recompute the teacher outputs on these");
    }
    if (!classes.equals(manifest.classes())) {
      throw new TrainingException("the teacher outputs " + manifest.dir() + " have classes " + manifest.classes()
          + ", split '" + split + "' of the student's features has " + classes);
    }
    Dataset<Row> teacher = spark.read().parquet(manifest.dir() + "/" + TeacherOutputs.ROWS);
    if (!cfg.embeddingTerms()) {
      teacher = teacher.withColumn("embedding", lit(null).cast(DataTypes.createArrayType(DataTypes.FloatType)));
    }
    Dataset<Row> keys = features.rows(spark).filter(col("split").equalTo(split)).select("clip_id", "variant",
        "segment");
    long total = keys.count();
    long missing = keys.join(teacher.select("clip_id", "variant", "segment"),
        scala.collection.JavaConverters.asScalaBuffer(List.of("clip_id", "variant", "segment")).toSeq(),
        "left_anti").count();
    if (missing > 0) {
      String what = missing + " of " + total + " rows of split '" + split + "' have no teacher outputs in "
          + manifest.dir();
      if (!cfg.allowMissing()) {
        throw new TrainingException(what + "; recompute the teacher outputs for this split, or give"
            + " distill.allow-missing=true to train those rows on the hard label alone");
      }
      LOG.warn("distill: {}; they train on the hard label alone (distill.allow-missing=true)", what);
    }
    LOG.info("distill: {} rows of split {} joined with the outputs of {} teacher(s) (T = {}, embedding {})",
        total - missing, split, manifest.teachers().size(), manifest.temperature(),
        cfg.embeddingTerms() ? manifest.embeddingSize() + " values" : "unused");
    return Examples.readWithTargets(spark, features, split, classes, teacher);
  }

  /**
   * The student as it is trained: the architecture of {@code spec} (its loss is replaced by the
   * distillation loss), the embedding head when an embedding term is used, initialised from
   * {@code distill.init-from} when given.
   *
   * @param spec the student's specification
   * @param dropout dropout probability
   * @return the initialised network
   */
  public ComputationGraph createStudent(ModelSpec spec, double dropout) {
    DistillationLoss loss = new DistillationLoss(spec.numClasses(), manifest.temperature(), cfg.ce(), cfg.kl());
    Models.EmbeddingHead head = cfg.embeddingTerms()
        ? new Models.EmbeddingHead(manifest.embeddingSize(), new EmbeddingDistanceLoss(cfg.cosine(), cfg.mse()))
        : null;
    ComputationGraph net = new ComputationGraph(Models.configuration(spec.withLoss(loss), dropout, head));
    net.init();
    if (cfg.replaceTeacher() && head != null && net.getConfiguration().getVertices()
        .containsKey(Models.EMBEDDING_PROJECTION)) {
      throw new TrainingException("distill.replace-teacher with an embedding term needs a student whose embedding"
          + " has the teachers' size (" + manifest.embeddingSize() + " values): after a replacement the student's own"
          + " embedding is the target");
    }
    if (!cfg.initFrom().isEmpty()) {
      initFrom(net, cfg.initFrom());
    }
    return net;
  }

  /** Copies every parameter of the model zip at {@code path} into the student (Clova: identical initial weights). */
  private static void initFrom(ComputationGraph student, String path) {
    ComputationGraph source;
    try {
      source = ModelSerializer.restoreComputationGraph(new File(path), false);
    } catch (IOException e) {
      throw new TrainingException("cannot read distill.init-from model " + path + ": " + e.getMessage(), e);
    }
    Map<String, INDArray> from = source.paramTable();
    int copied = 0;
    for (Map.Entry<String, INDArray> p : student.paramTable().entrySet()) {
      if (p.getKey().startsWith(Models.EMBEDDING_PROJECTION + "_")) {
        continue;
      }
      INDArray v = from.get(p.getKey());
      if (v == null || !java.util.Arrays.equals(v.shape(), p.getValue().shape())) {
        throw new TrainingException("distill.init-from model " + path + " is not the student's architecture:"
            + " parameter " + p.getKey() + " is " + (v == null ? "missing" : java.util.Arrays.toString(v.shape()))
            + " there and " + java.util.Arrays.toString(p.getValue().shape()) + " in the student");
      }
      p.getValue().assign(v);
      copied++;
    }
    LOG.info("distill: student initialised from {} ({} parameter arrays)", path, copied);
  }

  /**
   * @param trained the student as trained
   * @param loss the loss the deployable model declares (the training run's plain loss)
   * @return a copy with only {@value Models#OUTPUT}, under {@code loss}, with identical parameters
   */
  public static ComputationGraph deployable(ComputationGraph trained, ILossFunction loss) {
    ComputationGraph kept = Models.keepOnly(trained, Models.OUTPUT);
    ComputationGraphConfiguration conf = kept.getConfiguration().clone();
    Layer out = ((LayerVertex) conf.getVertices().get(Models.OUTPUT)).getLayerConf().getLayer();
    if (out instanceof BaseOutputLayer o) {
      o.setLossFn(loss);
    } else if (out instanceof LossLayer l) {
      l.setLossFn(loss);
    }
    ComputationGraph net = new ComputationGraph(conf);
    net.init(kept.params().dup(), false);
    return net;
  }

  /**
   * Clova's teacher replacement: the targets of every row recomputed with the student (its soft labels at
   * the manifest's temperature, averaged over other locations as the manifest says, and its embedding).
   *
   * @param spark the session
   * @param features the features (for the rows' locations)
   * @param split the training split
   * @param rows the training rows
   * @param student the deployable student
   * @param cropFrames the student's input length
   * @param batchSize windows per forward pass
   * @return the rows with the new targets (rows whose teacher outputs were missing stay without)
   */
  public JavaRDD<Example> replaceTargets(SparkSession spark, FeatureSet features, String split,
      JavaRDD<Example> rows, ComputationGraph student, int cropFrames, int batchSize) {
    JavaSparkContext jsc = JavaSparkContext.fromSparkContext(spark.sparkContext());
    Broadcast<byte[]> model = jsc.broadcast(Inference.toBytes(student));
    double temperature = manifest.temperature();
    List<TeacherOutputs.Row3> scored = rows.filter(e -> e.targets() != null).mapPartitions(it -> {
      NativeThreads.limit(1);
      List<Example> part = new ArrayList<>();
      it.forEachRemaining(part::add);
      return TeacherOutputs.combine(part, List.of(model.value()), List.of(cropFrames), batchSize, temperature)
          .iterator();
    }).collect();
    Map<String, float[]> soft;
    if (manifest.averageSegments() > 1) {
      soft = TeacherOutputs.averageSegments(scored, TeacherOutputs.identifiers(spark, features, split),
          manifest.averageSegments(), manifest.seed());
    } else {
      soft = new HashMap<>();
      for (TeacherOutputs.Row3 r : scored) {
        soft.put(r.key(), r.soft());
      }
    }
    boolean embeddings = cfg.embeddingTerms();
    Map<String, Example.Targets> targets = new HashMap<>();
    for (TeacherOutputs.Row3 r : scored) {
      targets.put(r.key(), new Example.Targets(soft.get(r.key()), embeddings ? r.embedding() : null));
    }
    Broadcast<Map<String, Example.Targets>> t = jsc.broadcast(targets);
    model.unpersist(false);
    return rows.map(e -> e.targets() == null ? e : e.withTargets(t.value().get(e.key())));
  }
}
