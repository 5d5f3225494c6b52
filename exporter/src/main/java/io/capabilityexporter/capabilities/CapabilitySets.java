package io.capabilityexporter.capabilities;

import io.capabilityexporter.files.ProcFiles;
import java.io.IOException;
import java.nio.file.Path;

/**
 * One thread's capability sets and no_new_privs flag, as its {@code /proc/.../status} shows them.
 */
public record CapabilitySets(
    long inheritable,
    long permitted,
    long effective,
    long bounding,
    long ambient,
    boolean noNewPrivileges) {
  public static CapabilitySets read(Path statusFile) throws IOException {
    String status = ProcFiles.read(statusFile);
    long inheritable = -1;
    long permitted = -1;
    long effective = -1;
    long bounding = -1;
    long ambient = 0; // before Linux 4.3 there is no ambient set
    boolean noNewPrivileges = false;
    for (String line : status.split("\n")) {
      int colon = line.indexOf(':');
      if (colon < 0) {
        continue;
      }
      String value = line.substring(colon + 1).strip();
      switch (line.substring(0, colon)) {
        case "CapInh" -> inheritable = hex(value, statusFile);
        case "CapPrm" -> permitted = hex(value, statusFile);
        case "CapEff" -> effective = hex(value, statusFile);
        case "CapBnd" -> bounding = hex(value, statusFile);
        case "CapAmb" -> ambient = hex(value, statusFile);
        case "NoNewPrivs" -> noNewPrivileges = value.equals("1");
        default -> {}
      }
    }
    if (inheritable < 0 || permitted < 0 || effective < 0 || bounding < 0) {
      throw new IOException(statusFile + " has no capability sets (CapInh/CapPrm/CapEff/CapBnd)");
    }
    return new CapabilitySets(
        inheritable, permitted, effective, bounding, ambient, noNewPrivileges);
  }

  private static long hex(String value, Path file) throws IOException {
    try {
      return Long.parseUnsignedLong(value, 16);
    } catch (NumberFormatException e) {
      throw new IOException(file + ": not a capability mask: " + value);
    }
  }

  /** Whether this thread holds nothing beyond {@code keep} in any set it could use or pass on. */
  public boolean holdsOnly(long keep) {
    long outside = ~keep;
    return (permitted & outside) == 0
        && (effective & outside) == 0
        && (inheritable & outside) == 0
        && (ambient & outside) == 0;
  }
}
