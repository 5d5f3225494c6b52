package io.capabilityexporter.expected;

import io.capabilityexporter.capabilities.Capability;
import java.util.OptionalInt;
import java.util.regex.Pattern;

/**
 * Reads a pod's {@value #NAME} annotation: capability names separated by commas or spaces, {@code
 * CAP_} optional, any case. {@code "NET_ADMIN, cap_sys_time"} lists NET_ADMIN and SYS_TIME.
 */
final class ExpectedAnnotation {
  /** Lists the capabilities a pod's checks are expected to use: {@code "NET_ADMIN, SYS_TIME"}. */
  static final String NAME = "capability-exporter.io/expected";

  private static final Pattern SEPARATORS = Pattern.compile("[,\\s]+");

  private ExpectedAnnotation() {}

  /**
   * Whether the annotation lists the capability. A name the exporter does not know lists nothing:
   * the checks it meant stay unexpected, which is where a typo shows.
   */
  static boolean lists(String annotation, int capability) {
    for (String name : SEPARATORS.split(annotation.strip())) {
      OptionalInt number = Capability.number(name);
      if (number.isPresent() && number.getAsInt() == capability) {
        return true;
      }
    }
    return false;
  }
}
