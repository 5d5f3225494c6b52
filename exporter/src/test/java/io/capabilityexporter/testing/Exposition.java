package io.capabilityexporter.testing;

import java.util.Optional;

/** Reads samples out of Prometheus text exposition, as a user's grep would. */
public final class Exposition {
  private Exposition() {}

  /**
   * The value of the series written exactly as {@code capability_checks_total{a="1",b="2"}} (labels
   * in the exposition's order: sorted by name), if present.
   */
  public static Optional<Double> value(String exposition, String series) {
    return exposition
        .lines()
        .filter(line -> line.startsWith(series + " "))
        .findFirst()
        .map(line -> Double.parseDouble(line.substring(series.length() + 1).split(" ")[0]));
  }

  /** capability_checks_total of one host container (namespace and pod empty). */
  public static String checks(
      String container, String capability, String verdict, boolean expected) {
    return checks("", "", container, capability, verdict, expected);
  }

  /** capability_checks_total of one container of a pod. */
  public static String checks(
      String namespace,
      String pod,
      String container,
      String capability,
      String verdict,
      boolean expected) {
    return "capability_checks_total{capability=\""
        + capability
        + "\",container=\""
        + container
        + "\",expected=\""
        + expected
        + "\",namespace=\""
        + namespace
        + "\",pod=\""
        + pod
        + "\",verdict=\""
        + verdict
        + "\"}";
  }
}
