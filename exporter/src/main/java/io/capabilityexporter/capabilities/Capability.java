package io.capabilityexporter.capabilities;

import java.util.List;

/**
 * Linux capabilities by number (include/uapi/linux/capability.h), named as Kubernetes writes them
 * in {@code securityContext.capabilities}: without the {@code CAP_} prefix.
 */
public final class Capability {
  private static final List<String> NAMES =
      List.of(
          "CHOWN",
          "DAC_OVERRIDE",
          "DAC_READ_SEARCH",
          "FOWNER",
          "FSETID",
          "KILL",
          "SETGID",
          "SETUID",
          "SETPCAP",
          "LINUX_IMMUTABLE",
          "NET_BIND_SERVICE",
          "NET_BROADCAST",
          "NET_ADMIN",
          "NET_RAW",
          "IPC_LOCK",
          "IPC_OWNER",
          "SYS_MODULE",
          "SYS_RAWIO",
          "SYS_CHROOT",
          "SYS_PTRACE",
          "SYS_PACCT",
          "SYS_ADMIN",
          "SYS_BOOT",
          "SYS_NICE",
          "SYS_RESOURCE",
          "SYS_TIME",
          "SYS_TTY_CONFIG",
          "MKNOD",
          "LEASE",
          "AUDIT_WRITE",
          "AUDIT_CONTROL",
          "SETFCAP",
          "MAC_OVERRIDE",
          "MAC_ADMIN",
          "SYSLOG",
          "WAKE_ALARM",
          "BLOCK_SUSPEND",
          "AUDIT_READ",
          "PERFMON",
          "BPF",
          "CHECKPOINT_RESTORE");

  public static final int SYS_ADMIN = 21;

  private Capability() {}

  /** {@code 21} is {@code SYS_ADMIN}; a number newer than this table is named by itself. */
  public static String name(int number) {
    return number >= 0 && number < NAMES.size() ? NAMES.get(number) : Integer.toString(number);
  }

  /** The highest capability number this table knows (CAP_LAST_CAP). */
  public static int last() {
    return NAMES.size() - 1;
  }

  /**
   * The names of the capabilities in a mask, lowest number first: {@code 0x3} is CHOWN,
   * DAC_OVERRIDE.
   */
  public static java.util.List<String> namesOf(long mask) {
    java.util.List<String> names = new java.util.ArrayList<>();
    for (int number = 0; number < Long.SIZE; number++) {
      if ((mask & (1L << number)) != 0) {
        names.add(name(number));
      }
    }
    return names;
  }

  /**
   * The number of a capability named as Kubernetes or the kernel writes it ({@code CAP_} optional).
   */
  public static java.util.OptionalInt number(String name) {
    String bare = name.toUpperCase(java.util.Locale.ROOT).replaceFirst("^CAP_", "");
    int index = NAMES.indexOf(bare);
    return index < 0 ? java.util.OptionalInt.empty() : java.util.OptionalInt.of(index);
  }
}
