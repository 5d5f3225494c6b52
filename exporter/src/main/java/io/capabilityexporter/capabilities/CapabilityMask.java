package io.capabilityexporter.capabilities;

import java.util.Locale;
import java.util.Optional;

/** Capability masks as {@code /proc/PID/status} writes them: {@code CapEff: 000001ffffffffff}. */
public final class CapabilityMask {
  private CapabilityMask() {}

  /**
   * Parses up to 16 hex digits, with or without {@code 0x}.
   *
   * @return empty when {@code text} is not such a mask
   */
  public static Optional<Long> parse(String text) {
    String digits = text.strip();
    if (digits.startsWith("0x") || digits.startsWith("0X")) {
      digits = digits.substring(2);
    }
    if (digits.isEmpty() || digits.length() > 16 || !digits.matches("[0-9a-fA-F]+")) {
      return Optional.empty();
    }
    return Optional.of(Long.parseUnsignedLong(digits.toLowerCase(Locale.ROOT), 16));
  }

  /** {@code 0x00000000a80425fb}: 16 digits, as capsh and /proc write them. */
  public static String hex(long mask) {
    return String.format("0x%016x", mask);
  }
}
