package org.ascspark.pipeline.features;

import java.io.IOException;
import java.io.Serializable;
import java.io.UncheckedIOException;
import java.net.URI;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.util.ArrayList;
import java.util.Collections;
import java.util.Iterator;
import java.util.List;
import java.util.NoSuchElementException;
import java.util.Set;
import org.apache.hadoop.conf.Configuration;
import org.apache.hadoop.fs.Path;
import org.apache.parquet.column.page.PageReadStore;
import org.apache.parquet.hadoop.ParquetFileReader;
import org.apache.parquet.hadoop.metadata.BlockMetaData;
import org.apache.parquet.hadoop.util.HadoopInputFile;
import org.apache.parquet.io.ColumnIOFactory;
import org.apache.parquet.io.MessageColumnIO;
import org.apache.parquet.io.RecordReader;
import org.apache.parquet.io.api.Binary;
import org.apache.parquet.io.api.Converter;
import org.apache.parquet.io.api.GroupConverter;
import org.apache.parquet.io.api.PrimitiveConverter;
import org.apache.parquet.io.api.RecordMaterializer;
import org.apache.parquet.schema.MessageType;
import org.apache.parquet.schema.Type;
import org.apache.spark.unsafe.Platform;
import org.ascspark.pipeline.io.Float32Bytes;

/**
 * Reads the feature job's clips straight from the {@code clips} Parquet files, one row group at a
 * time, with parquet-mr's record assembly: each clip's samples are decoded from the column chunk
 * the reader loaded, in one copy, where Spark's vectorized scan also copies them into its column
 * vector and then into a row. Reading 720 clips of 10 s this way took about half the time of
 * Spark's scan (docs/benchmarks.md, "Feature job").
 *
 * <p>Which clips to read is decided before, by clip id: a row group without any of them is
 * skipped after reading its {@code clip_id} column, and within a row group the other clips' samples
 * are not decoded.
 */
final class ClipScan {
  private ClipScan() {}

  /** One row group of one clips file (its URI, as {@code Dataset.inputFiles} gives it). */
  record RowGroup(String file, int index, long rows, long bytes) implements Serializable {}

  /**
   * The row groups of the given files, in file then row-group order.
   *
   * @param files URIs of the Parquet files of the clips table ({@code Dataset.inputFiles}: escaped,
   *     so {@code %20} is a space)
   * @param conf Hadoop configuration to open them with
   * @return their row groups
   * @throws IOException when a footer cannot be read
   */
  static List<RowGroup> rowGroups(List<String> files, Configuration conf) throws IOException {
    List<RowGroup> groups = new ArrayList<>();
    for (String f : files) {
      try (ParquetFileReader r = ParquetFileReader.open(HadoopInputFile.fromPath(path(f), conf))) {
        List<BlockMetaData> blocks = r.getRowGroups();
        for (int i = 0; i < blocks.size(); i++) {
          groups.add(new RowGroup(f, i, blocks.get(i).getRowCount(), blocks.get(i).getCompressedSize()));
        }
      }
    }
    return groups;
  }

  /**
   * The clips of a row group whose id is in {@code keep}, lazily; the file stays open until the
   * iterator is exhausted.
   *
   * @param group the row group
   * @param conf Hadoop configuration
   * @param keep ids of the clips to return
   * @return the clips, in file order
   * @throws IOException when the file cannot be opened or lacks a column of
   *     {@link ClipSamples#COLUMNS}
   */
  static Iterator<ClipSamples> read(RowGroup group, Configuration conf, Set<String> keep)
      throws IOException {
    ParquetFileReader reader = ParquetFileReader.open(HadoopInputFile.fromPath(path(group.file()), conf));
    try {
      MessageType fileSchema = reader.getFileMetaData().getSchema();
      List<Type> fields = new ArrayList<>();
      for (Type t : fileSchema.getFields()) {
        if (List.of(ClipSamples.COLUMNS).contains(t.getName())) {
          fields.add(t);
        }
      }
      if (fields.size() != ClipSamples.COLUMNS.length) {
        throw new IOException(group.file() + " lacks clips columns: it has " + fileSchema.getFields()
            .stream().map(Type::getName).toList() + ", the feature job needs "
            + List.of(ClipSamples.COLUMNS));
      }
      if (!holdsAny(reader, fileSchema, group.index(), keep)) {
        close(reader);
        return Collections.emptyIterator();
      }
      MessageType requested = new MessageType(fileSchema.getName(), fields);
      reader.setRequestedSchema(requested);
      PageReadStore pages = reader.readRowGroup(group.index());
      MessageColumnIO io = new ColumnIOFactory().getColumnIO(requested, fileSchema);
      ClipMaterializer m = new ClipMaterializer(requested, keep, group);
      RecordReader<ClipSamples> records = io.getRecordReader(pages, m);
      long rows = pages.getRowCount();
      return new Iterator<>() {
        long read;
        ClipSamples next;

        @Override
        public boolean hasNext() {
          while (next == null && read < rows) {
            next = records.read();
            read++;
          }
          if (next == null) {
            close(reader);
          }
          return next != null;
        }

        @Override
        public ClipSamples next() {
          if (!hasNext()) {
            throw new NoSuchElementException();
          }
          ClipSamples c = next;
          next = null;
          return c;
        }
      };
    } catch (IOException | RuntimeException e) {
      close(reader);
      throw e;
    }
  }

  /**
   * Whether a row group holds any of the wanted clips, read from its {@code clip_id} column alone,
   * so that row groups of other splits (or outside a fraction) cost no audio read.
   */
  private static boolean holdsAny(ParquetFileReader reader, MessageType fileSchema, int index,
      Set<String> keep) throws IOException {
    MessageType ids = new MessageType(fileSchema.getName(), fileSchema.getType("clip_id"));
    reader.setRequestedSchema(ids);
    PageReadStore pages = reader.readRowGroup(index);
    String[] current = new String[1];
    GroupConverter root = new GroupConverter() {
      private final PrimitiveConverter id = new PrimitiveConverter() {
        @Override
        public void addBinary(Binary value) {
          current[0] = value.toStringUsingUTF8();
        }
      };

      @Override
      public Converter getConverter(int fieldIndex) {
        return id;
      }

      @Override
      public void start() {
        current[0] = null;
      }

      @Override
      public void end() {}
    };
    RecordReader<String> records = new ColumnIOFactory().getColumnIO(ids, fileSchema)
        .getRecordReader(pages, new RecordMaterializer<String>() {
          @Override
          public String getCurrentRecord() {
            return current[0];
          }

          @Override
          public GroupConverter getRootConverter() {
            return root;
          }
        });
    for (long r = 0; r < pages.getRowCount(); r++) {
      String id = records.read();
      if (id != null && keep.contains(id)) {
        return true;
      }
    }
    return false;
  }

  /** A file's URI as a Hadoop path; {@code new Path(String)} would take its escapes literally. */
  private static Path path(String uri) {
    return new Path(URI.create(uri));
  }

  private static void close(ParquetFileReader reader) {
    try {
      reader.close();
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }

  /** Decodes little-endian float32 bytes into a new array, one copy. */
  static float[] decode(Binary value, String what) {
    ByteBuffer b = value.toByteBuffer();
    int size = b.remaining();
    if (size % Float32Bytes.BYTES != 0) {
      throw new IllegalArgumentException(what + ": " + size
          + " bytes is not a whole number of float32 values (4 bytes each)");
    }
    float[] v = new float[size / Float32Bytes.BYTES];
    if (b.hasArray() && ByteOrder.nativeOrder() == ByteOrder.LITTLE_ENDIAN) {
      Platform.copyMemory(b.array(), Platform.BYTE_ARRAY_OFFSET + b.arrayOffset() + b.position(), v,
          Platform.FLOAT_ARRAY_OFFSET, size);
    } else {
      b.duplicate().order(ByteOrder.LITTLE_ENDIAN).asFloatBuffer().get(v);
    }
    return v;
  }

  /** Assembles {@link ClipSamples}; returns null for rows not in {@code keep} (skipped). */
  private static final class ClipMaterializer extends RecordMaterializer<ClipSamples> {
    private final Set<String> keep;
    private final RowGroup group;
    private final GroupConverter root;
    private ClipSamples current;
    private Binary samples;

    ClipMaterializer(MessageType schema, Set<String> keep, RowGroup group) {
      this.keep = keep;
      this.group = group;
      Converter[] converters = new Converter[schema.getFieldCount()];
      for (int i = 0; i < converters.length; i++) {
        converters[i] = converter(schema.getFieldName(i));
      }
      root = new GroupConverter() {
        @Override
        public Converter getConverter(int fieldIndex) {
          return converters[fieldIndex];
        }

        @Override
        public void start() {
          current = new ClipSamples();
          samples = null;
        }

        @Override
        public void end() {}
      };
    }

    private interface StringField {
      void set(ClipSamples c, String v);
    }

    private PrimitiveConverter string(StringField f) {
      return new PrimitiveConverter() {
        @Override
        public void addBinary(Binary value) {
          f.set(current, value.toStringUsingUTF8());
        }
      };
    }

    private PrimitiveConverter converter(String column) {
      return switch (column) {
        case "clip_id" -> string(ClipSamples::setClipId);
        case "filename" -> string(ClipSamples::setFilename);
        case "scene_label" -> string(ClipSamples::setSceneLabel);
        case "device" -> string(ClipSamples::setDevice);
        case "city" -> string(ClipSamples::setCity);
        case "identifier" -> string(ClipSamples::setIdentifier);
        case "split" -> string(ClipSamples::setSplit);
        case "pair_key" -> string(ClipSamples::setPairKey);
        case "in_test" -> new PrimitiveConverter() {
          @Override
          public void addBoolean(boolean value) {
            current.setInTest(value);
          }
        };
        case "sample_rate_hz" -> new PrimitiveConverter() {
          @Override
          public void addInt(int value) {
            current.setSampleRateHz(value);
          }
        };
        case "samples" -> new PrimitiveConverter() {
          @Override
          public void addBinary(Binary value) {
            samples = value; // decoded in getCurrentRecord, only for kept clips
          }
        };
        default -> throw new IllegalArgumentException("no converter for column " + column);
      };
    }

    @Override
    public ClipSamples getCurrentRecord() {
      if (current.getClipId() == null || !keep.contains(current.getClipId())) {
        return null;
      }
      if (samples == null) {
        throw new IllegalStateException("clip " + current.getClipId() + " in " + group.file()
            + " has no samples");
      }
      current.setSamples(decode(samples, "samples of clip " + current.getClipId()));
      return current;
    }

    @Override
    public GroupConverter getRootConverter() {
      return root;
    }
  }
}
