package org.ascspark.training.distill;

import java.util.ArrayList;
import java.util.List;
import org.ascspark.pipeline.config.ConfigReader;
import org.ascspark.pipeline.config.InvalidConfigException;
import org.ascspark.pipeline.config.JobConfig;
import org.ascspark.training.evaluate.EvaluateConfig;

/**
 * The {@code teacher-outputs} section, typed and validated (conf/teacher-outputs.conf documents
 * every key).
 *
 * @param features features folder
 * @param teachers teacher model zips (run folders resolved to their best.zip)
 * @param out output folder
 * @param overwrite replace an existing output
 * @param split split to score
 * @param temperature soft-label temperature, &gt; 0
 * @param averageSegments rows whose soft labels are averaged (1 = off)
 * @param seed seed of the choice of averaged rows
 * @param batchSize windows per forward pass
 */
public record TeacherOutputsConfig(String features, List<String> teachers, String out,
    boolean overwrite, String split, double temperature, int averageSegments, long seed,
    int batchSize) {

  /**
   * @param config the job config
   * @return the validated settings
   * @throws InvalidConfigException naming the bad key
   */
  public static TeacherOutputsConfig from(JobConfig config) {
    ConfigReader r = config.reader("teacher-outputs");
    List<String> teachers = new ArrayList<>();
    for (String t : r.stringList("teachers")) {
      teachers.add(EvaluateConfig.resolveModel(t, r.key("teachers")));
    }
    if (teachers.isEmpty()) {
      throw new InvalidConfigException(r.key("teachers"), "is empty: give at least one teacher model"
          + " (a model zip or a run folder of ./asc train)");
    }
    return new TeacherOutputsConfig(r.string("features"), List.copyOf(teachers), r.string("out"),
        r.bool("overwrite"), r.oneOf("split", List.of("train", "evaluate", "test", "unassigned")),
        r.doubleAbove("temperature", 0.0, 1000.0), r.intIn("average-segments", 1, 100),
        r.longIn("seed", Long.MIN_VALUE, Long.MAX_VALUE), r.intIn("batch-size", 1, 1 << 16));
  }
}
