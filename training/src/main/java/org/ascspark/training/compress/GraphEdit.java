package org.ascspark.training.compress;

import java.util.ArrayList;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.stream.IntStream;
import org.deeplearning4j.nn.conf.ComputationGraphConfiguration;
import org.deeplearning4j.nn.conf.graph.GraphVertex;
import org.deeplearning4j.nn.conf.graph.LayerVertex;
import org.deeplearning4j.nn.conf.layers.Layer;
import org.deeplearning4j.nn.graph.ComputationGraph;
import org.nd4j.linalg.api.ndarray.INDArray;

/**
 * Structural edits of a {@link ComputationGraphConfiguration} (remove a vertex, insert one after
 * another) and the rebuild of a network from the edited configuration with the parameters of the
 * original. The edits keep the configuration's vertex map in a topological order and pin it as the
 * stored topological order, as {@code Models} does for every model it builds, so the flat parameter
 * vector of the rebuilt network follows its parameter table.
 */
final class GraphEdit {

  private final ComputationGraphConfiguration conf;
  /** Network inputs first, then every vertex, in a topological order. */
  private final List<String> order;

  /**
   * @param source the configuration to edit; it is cloned, not changed
   */
  GraphEdit(ComputationGraphConfiguration source) {
    this.conf = source.clone();
    List<String> stored = conf.getTopologicalOrderStr();
    this.order = new ArrayList<>();
    if (stored != null && stored.size() == conf.getNetworkInputs().size() + conf.getVertices().size()) {
      order.addAll(stored);
    } else {
      order.addAll(conf.getNetworkInputs());
      order.addAll(conf.getVertices().keySet());
    }
  }

  /** @return the configuration being edited */
  ComputationGraphConfiguration conf() {
    return conf;
  }

  /** @return the vertex's inputs (empty for a network input) */
  List<String> inputsOf(String vertex) {
    List<String> in = conf.getVertexInputs().get(vertex);
    return in == null ? List.of() : in;
  }

  /** @return the vertices that take {@code vertex} as an input, one entry per input slot, in order */
  List<String> consumersOf(String vertex) {
    List<String> out = new ArrayList<>();
    for (String v : order) {
      for (String in : inputsOf(v)) {
        if (in.equals(vertex)) {
          out.add(v);
        }
      }
    }
    return out;
  }

  /** @return whether the vertex is a network output */
  boolean isOutput(String vertex) {
    return conf.getNetworkOutputs().contains(vertex);
  }

  /** @return the vertices (not the network inputs) in topological order */
  List<String> vertices() {
    return List.copyOf(order.subList(conf.getNetworkInputs().size(), order.size()));
  }

  /** @return the layer configuration of a layer vertex, or null for any other vertex or an input */
  Layer layer(String vertex) {
    GraphVertex v = conf.getVertices().get(vertex);
    return v instanceof LayerVertex lv && lv.getLayerConf() != null ? lv.getLayerConf().getLayer() : null;
  }

  /**
   * Removes a single-input vertex, feeding its consumers with its input instead.
   *
   * @param vertex a vertex with one input that is not a network output
   */
  void bypass(String vertex) {
    List<String> in = inputsOf(vertex);
    if (in.size() != 1 || isOutput(vertex)) {
      throw new IllegalArgumentException("cannot bypass '" + vertex + "': it has " + in.size()
          + " inputs or is a network output");
    }
    String source = in.get(0);
    for (Map.Entry<String, List<String>> e : conf.getVertexInputs().entrySet()) {
      List<String> ins = e.getValue();
      for (int i = 0; i < ins.size(); i++) {
        if (ins.get(i).equals(vertex)) {
          ins.set(i, source);
        }
      }
    }
    conf.getVertices().remove(vertex);
    conf.getVertexInputs().remove(vertex);
    order.remove(vertex);
  }

  /**
   * Inserts a single-input vertex after {@code after} (a vertex or a network input): it takes
   * {@code after}'s output and every former consumer of {@code after} takes its output instead.
   *
   * @param after   the vertex whose output is transformed, not a network output
   * @param name    a free vertex name
   * @param inserted the vertex configuration
   */
  void insertAfter(String after, String name, GraphVertex inserted) {
    if (order.contains(name)) {
      throw new IllegalArgumentException("vertex name '" + name + "' is taken");
    }
    for (Map.Entry<String, List<String>> e : conf.getVertexInputs().entrySet()) {
      List<String> ins = e.getValue();
      for (int i = 0; i < ins.size(); i++) {
        if (ins.get(i).equals(after)) {
          ins.set(i, name);
        }
      }
    }
    conf.getVertices().put(name, inserted);
    conf.getVertexInputs().put(name, new ArrayList<>(List.of(after)));
    int at = order.indexOf(after);
    if (at < 0) {
      throw new IllegalArgumentException("no vertex or input '" + after + "'");
    }
    order.add(at + 1, name);
  }

  /** @return {@code base}, or {@code base_2}, {@code base_3}, ... whichever is not yet a vertex name */
  String freeName(String base) {
    String name = base;
    for (int i = 2; order.contains(name); i++) {
      name = base + "_" + i;
    }
    return name;
  }

  /**
   * Builds and initialises the edited network and copies into it every parameter array of
   * {@code source} that has the same vertex, key and shape; the caller sets the others.
   *
   * @param source the network the edit started from
   * @return the new network (fresh updater state)
   */
  ComputationGraph build(ComputationGraph source) {
    Map<String, GraphVertex> vertices = new LinkedHashMap<>();
    Map<String, List<String>> inputs = new LinkedHashMap<>();
    List<String> names = vertices();
    for (String v : names) {
      vertices.put(v, conf.getVertices().get(v));
      inputs.put(v, conf.getVertexInputs().get(v));
    }
    conf.setVertices(vertices);
    conf.setVertexInputs(inputs);
    Map<String, Integer> position = new HashMap<>();
    for (int i = 0; i < order.size(); i++) {
      position.put(order.get(i), i);
    }
    for (String v : names) {
      for (String in : inputsOf(v)) {
        if (!position.containsKey(in) || position.get(in) >= position.get(v)) {
          throw new IllegalStateException("vertex '" + v + "' does not follow its input '" + in + "'");
        }
      }
    }
    conf.setTopologicalOrder(IntStream.range(0, order.size()).toArray());
    conf.setTopologicalOrderStr(new ArrayList<>(order));
    ComputationGraph net = new ComputationGraph(conf);
    net.init();
    copyParameters(source, net);
    return net;
  }

  /** Copies every parameter array of {@code from} into {@code to} where vertex, key and shape agree. */
  static void copyParameters(ComputationGraph from, ComputationGraph to) {
    for (org.deeplearning4j.nn.graph.vertex.GraphVertex v : to.getVertices()) {
      Map<String, INDArray> target = v.paramTable(false);
      if (target == null || target.isEmpty() || from.getVertex(v.getVertexName()) == null) {
        continue;
      }
      Map<String, INDArray> src = from.getVertex(v.getVertexName()).paramTable(false);
      if (src == null) {
        continue;
      }
      for (Map.Entry<String, INDArray> p : target.entrySet()) {
        INDArray s = src.get(p.getKey());
        if (s != null && java.util.Arrays.equals(s.shape(), p.getValue().shape())) {
          p.getValue().assign(s.castTo(p.getValue().dataType()));
        }
      }
    }
  }
}
