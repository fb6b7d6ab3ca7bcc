package org.ascspark.features.synth;

/**
 * The ten scene classes of TAU Urban Acoustic Scenes 2020 Mobile, with the loudness range the
 * synthesiser draws a recording's RMS level from.
 *
 * <p>The ranges are realistic relative levels (vehicle interiors and traffic loud, parks quiet) and
 * overlap, so level alone does not identify a scene. The synthesised recording gets the drawn level
 * plus its location's offset ({@link LocationProfile#levelOffsetDb()}), then possibly less if its
 * peak must be brought down to {@link SceneRecipes#PEAK_CEILING_DBFS}.
 */
public enum AcousticScene {
  /** Airport hall. */
  AIRPORT("airport", -30, -24),
  /** Travelling by bus. */
  BUS("bus", -26, -20),
  /** Travelling by underground metro. */
  METRO("metro", -25, -19),
  /** Metro station platform and halls. */
  METRO_STATION("metro_station", -29, -22),
  /** Urban park. */
  PARK("park", -33, -26),
  /** Public square. */
  PUBLIC_SQUARE("public_square", -31, -24),
  /** Indoor shopping mall. */
  SHOPPING_MALL("shopping_mall", -30, -23),
  /** Pedestrian street. */
  STREET_PEDESTRIAN("street_pedestrian", -30, -23),
  /** Street with medium-level traffic. */
  STREET_TRAFFIC("street_traffic", -27, -20),
  /** Travelling by tram. */
  TRAM("tram", -27, -20);

  private final String label;
  private final double rmsMinDbfs;
  private final double rmsMaxDbfs;

  AcousticScene(String label, double rmsMinDbfs, double rmsMaxDbfs) {
    this.label = label;
    this.rmsMinDbfs = rmsMinDbfs;
    this.rmsMaxDbfs = rmsMaxDbfs;
  }

  /** @return the TAU scene label, e.g. {@code street_pedestrian} */
  public String label() {
    return label;
  }

  /** @return lower end of the target RMS range in dBFS */
  public double rmsMinDbfs() {
    return rmsMinDbfs;
  }

  /** @return upper end of the target RMS range in dBFS */
  public double rmsMaxDbfs() {
    return rmsMaxDbfs;
  }

  /**
   * @param label a TAU scene label
   * @return the scene
   * @throws IllegalArgumentException for an unknown label
   */
  public static AcousticScene fromLabel(String label) {
    for (AcousticScene s : values()) {
      if (s.label.equals(label)) {
        return s;
      }
    }
    throw new IllegalArgumentException("unknown scene label '" + label + "'");
  }

  @Override
  public String toString() {
    return label;
  }
}
