package org.ascspark.features.augment;

import java.io.Serializable;

/**
 * Time-scale modification without pitch change by Waveform-Similarity Overlap-Add (WSOLA; Verhelst
 * and Roelands, "An overlap-add technique based on waveform similarity (WSOLA) for high quality
 * time-scale modification of speech", ICASSP 1993), the algorithm family of sox's {@code tempo}
 * effect. Our own implementation; no library.
 *
 * <p><b>Algorithm.</b> With segment length S, overlap O and search width W (all in samples, from
 * {@link Params} at the signal's rate) the output is built from input segments of S samples placed
 * at output positions {@code o_k = k (S - O)}. Consecutive segments overlap by O output samples
 * and are cross-faded there. Segment 0 is the input's first S samples. For k &ge; 1 the nominal
 * input position is {@code a_k = round(f o_k + (f - 1) S / 2)} (f = tempo factor), and the segment
 * actually taken starts at the position c within {@code [a_k - W/2, a_k + W/2]} whose first O
 * samples are most similar to the last O samples of segment k - 1 (the samples the cross-fade
 * will blend them with), similarity being the normalised cross-correlation
 * {@code sum t[i] x[c+i] / sqrt(sum x[c+i]^2)} (the template's own norm is a constant). Ties and an
 * all-silent search window keep the nominal position.
 *
 * <p><b>Conventions.</b>
 * <ul>
 *   <li>Tempo factor f &gt; 1 is faster (shorter output), f &lt; 1 slower; pitch is unchanged.</li>
 *   <li>Output length is exactly {@code round(n / f)} samples ({@link Math#round}, halves up) for
 *       {@link #stretch}, or the requested length for {@link #stretchToLength} (f = n / length):
 *       the last segment is written in full and the output is trimmed to that length, as sox does
 *       ({@code samples_out = samples_in / factor + .5}).</li>
 *   <li>Timing: segment centres, not starts, are mapped to their ideal times (the
 *       {@code (f - 1) S / 2} term above), so events in the output lie at input time / f on
 *       average. Within a segment time runs at rate 1, so an individual event may be displaced by
 *       up to about {@code |1 - 1/f| S / 2 + W / (2 f)} (about 24 ms for the default parameters at
 *       f = 0.75). sox anchors segment starts instead, which shifts its output by a constant
 *       {@code (1 - 1/f) S / 2} (-13.7 ms at f = 0.75).</li>
 *   <li>Cross-fades are the two halves of a periodic Hann window of length 2 O, sampled at
 *       half-sample offsets: {@code in(i) = sin^2(pi (i + 0.5) / (2 O))},
 *       {@code out(i) = 1 - in(i)}, so they sum to exactly 1 (amplitude-complementary, right for
 *       the aligned segments WSOLA blends; sox uses a linear ramp). The last segment's tail is
 *       not faded.</li>
 *   <li>Ends: segment 0 starts at input sample 0 unsearched. Later search windows are shifted back
 *       (keeping their width) so that segments end inside the input where the input holds at least
 *       one segment (S + W samples for a full window), so a slowed-down signal does not end in
 *       silence; samples read beyond the input's end (inputs shorter than a segment) are
 *       zeros.</li>
 *   <li>Factor exactly 1 (or a requested length equal to the input's) returns an identical
 *       copy.</li>
 * </ul>
 *
 * <p><b>Cost.</b> The search is a direct correlation, O (W + 1) multiply-adds per segment: about
 * 0.34 M per segment and 65 M for 10 s at 44.1 kHz slowed to 0.75, with the default parameters.
 * Candidate energies slide along each search window. No allocation per segment; the class is
 * stateless and thread-safe. Measured (JDK 17, one core): 10 s of noise at 44.1 kHz in about
 * 18 ms at f = 0.75 and 11 ms at f = 1.25.
 */
public final class Wsola {

  private Wsola() {}

  /**
   * WSOLA parameters, in milliseconds (converted to samples at the signal's rate by rounding).
   *
   * @param segmentMs segment length S, the span copied at rate 1; positive. sox default 82 ms
   * @param searchMs total width W of the similarity search around the nominal position (plus or
   *     minus W / 2); non-negative, 0 = no search (plain overlap-add). sox default 14.68 ms
   * @param overlapMs cross-fade length O between consecutive segments; positive and at most half
   *     the segment. sox default 12 ms
   */
  public record Params(double segmentMs, double searchMs, double overlapMs)
      implements Serializable {

    /** sox {@code tempo}'s default profile: segment 82 ms, search 14.68 ms, overlap 12 ms. */
    public static final Params SOX_DEFAULT = new Params(82.0, 14.68, 12.0);

    /**
     * Validates; messages name the config keys {@code segment-ms}, {@code search-ms},
     * {@code overlap-ms}.
     *
     * @param segmentMs segment length in ms
     * @param searchMs search width in ms
     * @param overlapMs cross-fade length in ms
     */
    public Params {
      if (!(segmentMs > 0) || Double.isInfinite(segmentMs)) {
        throw new IllegalArgumentException(
            "segment-ms must be positive and finite, got " + segmentMs);
      }
      if (!(searchMs >= 0) || Double.isInfinite(searchMs)) {
        throw new IllegalArgumentException(
            "search-ms must be non-negative and finite, got " + searchMs);
      }
      if (!(overlapMs > 0) || Double.isInfinite(overlapMs)) {
        throw new IllegalArgumentException(
            "overlap-ms must be positive and finite, got " + overlapMs);
      }
      if (overlapMs > segmentMs / 2) {
        throw new IllegalArgumentException("overlap-ms (" + overlapMs
            + ") must be at most half of segment-ms (" + segmentMs + ")");
      }
    }

    /**
     * @param sampleRateHz sample rate in Hz
     * @return segment length S in samples, {@code round(segmentMs * sampleRateHz / 1000)}
     */
    public int segmentSamples(int sampleRateHz) {
      return (int) Math.round(segmentMs * sampleRateHz / 1000.0);
    }

    /**
     * @param sampleRateHz sample rate in Hz
     * @return search width W in samples, {@code round(searchMs * sampleRateHz / 1000)}
     */
    public int searchSamples(int sampleRateHz) {
      return (int) Math.round(searchMs * sampleRateHz / 1000.0);
    }

    /**
     * @param sampleRateHz sample rate in Hz
     * @return overlap O in samples, {@code round(overlapMs * sampleRateHz / 1000)}
     */
    public int overlapSamples(int sampleRateHz) {
      return (int) Math.round(overlapMs * sampleRateHz / 1000.0);
    }
  }

  /**
   * Changes the tempo of a signal, keeping its pitch.
   *
   * @param x mono samples; not modified
   * @param sampleRateHz their sample rate in Hz, positive
   * @param tempoFactor speed factor f, positive and finite: &gt; 1 faster/shorter, &lt; 1
   *     slower/longer
   * @param p segment, search and overlap lengths
   * @return a new array of exactly {@code round(x.length / tempoFactor)} samples; an identical copy
   *     when {@code tempoFactor == 1}
   * @throws IllegalArgumentException for a non-positive rate or factor, or parameters shorter than
   *     one sample at this rate
   */
  public static float[] stretch(float[] x, int sampleRateHz, double tempoFactor, Params p) {
    if (!(tempoFactor > 0) || Double.isInfinite(tempoFactor)) {
      throw new IllegalArgumentException(
          "tempo factor must be positive and finite, got " + tempoFactor);
    }
    long length = Math.round(x.length / tempoFactor);
    if (length > Integer.MAX_VALUE - 8) {
      throw new IllegalArgumentException("output of " + length + " samples is too long");
    }
    return stretch(x, sampleRateHz, (int) length, tempoFactor, p);
  }

  /**
   * Time-scales a signal to a given length, keeping its pitch (the tempo factor is
   * {@code x.length / outputSamples}). Used where the length must come out exact, e.g. pitch
   * shifting.
   *
   * @param x mono samples; not modified
   * @param sampleRateHz their sample rate in Hz, positive
   * @param outputSamples output length in samples, non-negative; positive when x is not empty
   * @param p segment, search and overlap lengths
   * @return a new array of exactly {@code outputSamples} samples; an identical copy when it equals
   *     {@code x.length}
   */
  public static float[] stretchToLength(float[] x, int sampleRateHz, int outputSamples, Params p) {
    if (outputSamples < 0 || (outputSamples == 0 && x.length > 0)) {
      throw new IllegalArgumentException("output length must be positive, got " + outputSamples
          + " samples for an input of " + x.length);
    }
    double factor = x.length == 0 ? 1.0 : (double) x.length / outputSamples;
    return stretch(x, sampleRateHz, outputSamples, factor, p);
  }

  private static float[] stretch(float[] x, int sampleRateHz, int length, double f, Params p) {
    if (sampleRateHz <= 0) {
      throw new IllegalArgumentException("sample rate must be positive, got " + sampleRateHz);
    }
    int seg = p.segmentSamples(sampleRateHz);
    int ov = p.overlapSamples(sampleRateHz);
    int search = p.searchSamples(sampleRateHz);
    if (ov < 1 || seg < 2 * ov) {
      throw new IllegalArgumentException("overlap-ms " + p.overlapMs() + " and segment-ms "
          + p.segmentMs() + " give " + ov + " and " + seg + " samples at " + sampleRateHz
          + " Hz; need overlap >= 1 sample and segment >= 2 x overlap");
    }
    if (length == x.length) {
      return x.clone();
    }
    float[] y = new float[length];
    if (length == 0) {
      return y;
    }
    int n = x.length;
    int hopOut = seg - ov;
    int halfSearch = search / 2;
    float[] fadeIn = new float[ov];
    for (int i = 0; i < ov; i++) {
      double s = Math.sin(Math.PI * (i + 0.5) / (2.0 * ov));
      fadeIn[i] = (float) (s * s);
    }
    // Last O samples of the previous segment (the cross-fade partner of the next one's head).
    float[] tail = new float[ov];
    int lastStart = Math.max(0, n - seg);
    for (int k = 0, out = 0; out < length; k++, out += hopOut) {
      int c;
      if (k == 0) {
        c = 0;
      } else {
        long nominal = Math.round(f * out + (f - 1) * seg / 2.0);
        long lo = nominal - halfSearch;
        long hi = nominal + halfSearch;
        if (hi > lastStart) {
          long shift = hi - lastStart;
          lo -= shift;
          hi -= shift;
          nominal -= shift;
        }
        if (lo < 0) {
          lo = 0;
          hi = Math.max(hi, 0);
          nominal = Math.max(nominal, 0);
        }
        c = bestMatch(x, tail, (int) lo, (int) hi, (int) nominal);
      }
      boolean last = out + hopOut >= length;
      int limit = Math.min(seg, length - out);
      int headEnd = k == 0 ? 0 : Math.min(ov, limit);
      for (int i = 0; i < headEnd; i++) {
        y[out + i] = tail[i] * (1f - fadeIn[i]) + sample(x, c + i) * fadeIn[i];
      }
      int bodyEnd = last ? limit : Math.min(hopOut, limit);
      for (int i = headEnd; i < bodyEnd; i++) {
        y[out + i] = sample(x, c + i);
      }
      if (!last) {
        for (int i = 0; i < ov; i++) {
          tail[i] = sample(x, c + hopOut + i);
        }
      }
    }
    return y;
  }

  /** x[i], or 0 outside the input. */
  private static float sample(float[] x, int i) {
    return i >= 0 && i < x.length ? x[i] : 0f;
  }

  /**
   * The start in [lo, hi] whose next {@code t.length} samples have the largest normalised
   * correlation with t; {@code nominal} wins ties (and an all-silent window). Candidate energies
   * slide along the window (one add and one subtract per step, in double, restarted for each
   * segment, so rounding cannot build up across the signal).
   */
  private static int bestMatch(float[] x, float[] t, int lo, int hi, int nominal) {
    int len = t.length;
    int best = nominal;
    double bestScore = score(dot(x, nominal, t, available(x, nominal, len)),
        energy(x, nominal, available(x, nominal, len)));
    int avail = available(x, lo, len);
    double energy = energy(x, lo, avail);
    for (int c = lo; c <= hi; c++) {
      if (c > lo) {
        // Full windows here: c <= hi <= max(0, n - segment) and len <= segment, or c == lo.
        double out = x[c - 1];
        double in = x[c + len - 1];
        energy += in * in - out * out;
      }
      if (c == nominal) {
        continue;
      }
      double s = score(dot(x, c, t, avail), energy);
      if (s > bestScore) {
        bestScore = s;
        best = c;
      }
    }
    return best;
  }

  /** Number of samples of x[c .. c + len) inside the input. */
  private static int available(float[] x, int c, int len) {
    return Math.max(0, Math.min(len, x.length - c));
  }

  /** sum of x[c + i]^2 for i < len. */
  private static double energy(float[] x, int c, int len) {
    double e = 0;
    for (int i = 0; i < len; i++) {
      e += (double) x[c + i] * x[c + i];
    }
    return e;
  }

  /** Normalised correlation from a dot product and the candidate's energy; 0 for silence. */
  private static double score(double dot, double energy) {
    return energy > 1e-20 ? dot / Math.sqrt(energy) : 0.0;
  }

  /** sum_{i < len} x[off + i] t[i], with four independent float accumulators. */
  private static double dot(float[] x, int off, float[] t, int len) {
    float a0 = 0;
    float a1 = 0;
    float a2 = 0;
    float a3 = 0;
    int i = 0;
    for (; i + 3 < len; i += 4) {
      a0 += x[off + i] * t[i];
      a1 += x[off + i + 1] * t[i + 1];
      a2 += x[off + i + 2] * t[i + 2];
      a3 += x[off + i + 3] * t[i + 3];
    }
    for (; i < len; i++) {
      a0 += x[off + i] * t[i];
    }
    return (double) (a0 + a1) + (a2 + a3);
  }
}
