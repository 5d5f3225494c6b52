package io.capabilityexporter.probe;

import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.stream.Collectors;
import java.util.stream.Stream;

/**
 * Encodes {@code struct capable_config} (bpf/capable.h), written into .rodata before load: where
 * the kernel functions lie that tell the tp_btf program an audited check from a noaudit one.
 */
final class ProbeConfig {
  static final String CAP_CAPABLE = "cap_capable";
  static final String SECURITY_CAPABLE = "security_capable";

  /**
   * Call cap_capable() with CAP_OPT_NOAUDIT: the vm_enough_memory hook, every mmap and brk; or only
   * to probe: capset's cap_inh_is_capped() asks CAP_SETPCAP to know whether the inheritable set may
   * grow, and a capset that lowers what it holds succeeds either way.
   */
  static final List<String> NOAUDIT_CALLERS =
      List.of("security_vm_enough_memory_mm", "cap_vm_enough_memory", "cap_capset");

  /** Call security_capable() with CAP_OPT_NOAUDIT: kernel/capability.c. */
  static final List<String> NOAUDIT_WRAPPERS =
      List.of("ns_capable_noaudit", "has_ns_capability_noaudit", "has_capability_noaudit");

  /** Calls security_capable() with CAP_OPT_INSETID. */
  static final String SETID_WRAPPER = "ns_capable_setid";

  static final Set<String> FUNCTIONS =
      Stream.of(
              List.of(CAP_CAPABLE, SECURITY_CAPABLE, SETID_WRAPPER),
              NOAUDIT_CALLERS,
              NOAUDIT_WRAPPERS)
          .flatMap(List::stream)
          .collect(Collectors.toUnmodifiableSet());

  static final int OFFSET_SECURITY_CAPABLE = 16;
  static final int OFFSET_NOAUDIT_CALLERS = 32;
  static final int OFFSET_NOAUDIT_WRAPPERS = OFFSET_NOAUDIT_CALLERS + 3 * 16;
  static final int WRAPPER_SLOTS = 4;
  static final int OFFSET_SETID_WRAPPER = OFFSET_NOAUDIT_WRAPPERS + WRAPPER_SLOTS * 16;
  static final int OFFSET_ENABLED = OFFSET_SETID_WRAPPER + 16;
  static final int OFFSET_EVENTS = OFFSET_ENABLED + 4;
  static final int OFFSET_STACKS = OFFSET_EVENTS + 4;
  static final int OFFSET_SLOT_MASK = OFFSET_STACKS + 4;
  static final int OFFSET_AUDIT_MODE = OFFSET_SLOT_MASK + 4;
  static final int OFFSET_AUDITED_EVENTS = OFFSET_AUDIT_MODE + 4;
  static final int OFFSET_DIRECT_LOADS = OFFSET_AUDITED_EVENTS + 4;
  static final int OFFSET_JOINING_SYSCALLS = OFFSET_DIRECT_LOADS + 8;
  static final int JOINING_SYSCALLS = 8;
  static final int OFFSET_SETID_SYSCALLS = OFFSET_JOINING_SYSCALLS + JOINING_SYSCALLS * 4;
  static final int SETID_SYSCALLS = 8;
  static final int SIZE = OFFSET_SETID_SYSCALLS + SETID_SYSCALLS * 4;

  /**
   * By architecture (os.arch): the numbers of setns, mount, umount2, open_tree, move_mount, fsopen,
   * fsmount and mount_setattr, whose SYS_ADMIN check holds a host process's checks until it is
   * placed in a container (bpf/runtime.bpf.h). Elsewhere no check is held.
   */
  private static final Map<String, List<Integer>> JOINING =
      Map.of(
          "amd64", List.of(308, 165, 166, 428, 429, 430, 432, 442),
          "aarch64", List.of(268, 40, 39, 428, 429, 430, 432, 442));

  /**
   * By architecture: setuid, setreuid, setresuid, setfsuid, setgid, setregid, setresgid, setfsgid,
   * where a deny of SETUID or SETGID toward root can be a privilege-drop check (bpf/denies.bpf.h).
   */
  private static final Map<String, List<Integer>> SETID =
      Map.of(
          "amd64", List.of(105, 113, 117, 122, 106, 114, 119, 123),
          "aarch64", List.of(146, 145, 147, 151, 144, 143, 149, 152));

  private ProbeConfig() {}

  /**
   * Audit derivation is enabled only when both boundaries of the LSM path were found; absent
   * helpers never match.
   */
  static byte[] encode(Map<String, KernelText.Range> ranges, ProbeOptions options) {
    EventOptions events = options.events();
    ByteBuffer buffer = ByteBuffer.allocate(SIZE).order(ByteOrder.nativeOrder());
    put(buffer, 0, ranges.get(CAP_CAPABLE));
    put(buffer, OFFSET_SECURITY_CAPABLE, ranges.get(SECURITY_CAPABLE));
    for (int i = 0; i < NOAUDIT_CALLERS.size(); i++) {
      put(buffer, OFFSET_NOAUDIT_CALLERS + i * 16, ranges.get(NOAUDIT_CALLERS.get(i)));
    }
    for (int i = 0; i < NOAUDIT_WRAPPERS.size(); i++) {
      put(buffer, OFFSET_NOAUDIT_WRAPPERS + i * 16, ranges.get(NOAUDIT_WRAPPERS.get(i)));
    }
    put(buffer, OFFSET_SETID_WRAPPER, ranges.get(SETID_WRAPPER));
    boolean enabled = ranges.containsKey(CAP_CAPABLE) && ranges.containsKey(SECURITY_CAPABLE);
    buffer.putInt(OFFSET_ENABLED, enabled ? 1 : 0);
    buffer.putInt(OFFSET_EVENTS, events.enabled() ? 1 : 0);
    buffer.putInt(OFFSET_STACKS, events.stacks() ? 1 : 0);
    buffer.putInt(OFFSET_SLOT_MASK, options.cgroupSlots() - 1);
    buffer.putInt(OFFSET_AUDIT_MODE, options.auditMode().ordinal());
    buffer.putInt(OFFSET_AUDITED_EVENTS, events.auditedOnly() ? 1 : 0);
    buffer.putInt(OFFSET_DIRECT_LOADS, options.directLoads() ? 1 : 0);
    List<Integer> joining = JOINING.getOrDefault(System.getProperty("os.arch"), List.of());
    for (int i = 0; i < JOINING_SYSCALLS; i++) {
      buffer.putInt(OFFSET_JOINING_SYSCALLS + i * 4, i < joining.size() ? joining.get(i) : -1);
    }
    List<Integer> setid = SETID.getOrDefault(System.getProperty("os.arch"), List.of());
    for (int i = 0; i < SETID_SYSCALLS; i++) {
      buffer.putInt(OFFSET_SETID_SYSCALLS + i * 4, i < setid.size() ? setid.get(i) : -1);
    }
    return buffer.array();
  }

  static boolean enabled(byte[] config) {
    return ByteBuffer.wrap(config).order(ByteOrder.nativeOrder()).getInt(OFFSET_ENABLED) != 0;
  }

  private static void put(ByteBuffer buffer, int offset, KernelText.Range range) {
    if (range != null) {
      buffer.putLong(offset, range.start());
      buffer.putLong(offset + 8, range.end());
    }
  }
}
