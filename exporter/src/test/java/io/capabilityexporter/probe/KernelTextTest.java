package io.capabilityexporter.probe;

import static org.assertj.core.api.Assertions.assertThat;

import io.capabilityexporter.testing.KernelTest;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Set;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class KernelTextTest {
  @TempDir Path dir;

  @Test
  void a_function_ends_where_the_next_text_symbol_starts() throws Exception {
    Path kallsyms = dir.resolve("kallsyms");
    Files.writeString(
        kallsyms,
        """
        ffffffff81368270 T __pfx_ns_capable_noaudit
        ffffffff81368280 T ns_capable_noaudit
        ffffffff81368290 D some_data
        ffffffff813682e0 T __pfx_ns_capable_setid
        ffffffffc0001000 t ns_capable_noaudit\t[evil_module]
        ffffffff81a87cb0 T security_vm_enough_memory_mm
        ffffffff81a87d00 t next_one
        garbage line
        zzzz T has_capability_noaudit
        """);

    assertThat(
            KernelText.find(
                kallsyms,
                Set.of(
                    "ns_capable_noaudit",
                    "security_vm_enough_memory_mm",
                    "has_capability_noaudit")))
        .containsOnlyKeys("ns_capable_noaudit", "security_vm_enough_memory_mm")
        .containsEntry(
            "ns_capable_noaudit", new KernelText.Range(0xffffffff81368280L, 0xffffffff813682e0L))
        .containsEntry(
            "security_vm_enough_memory_mm",
            new KernelText.Range(0xffffffff81a87cb0L, 0xffffffff81a87d00L));
  }

  @Test
  void hidden_addresses_give_no_ranges_and_leave_audit_unknown() throws Exception {
    Path kallsyms = dir.resolve("kallsyms");
    Files.writeString(
        kallsyms, "0000000000000000 T cap_capable\n0000000000000000 T security_capable\n");

    var ranges = KernelText.find(kallsyms, ProbeConfig.FUNCTIONS);
    assertThat(ranges).isEmpty();
    assertThat(ProbeConfig.enabled(ProbeConfig.encode(ranges, ProbeOptions.defaults()))).isFalse();
  }

  @Test
  @KernelTest
  void finds_every_function_the_tracepoint_program_needs_on_this_kernel() throws Exception {
    var ranges = KernelText.find(Path.of("/proc/kallsyms"), ProbeConfig.FUNCTIONS);

    assertThat(ranges).containsKeys("cap_capable", "security_capable", "ns_capable_noaudit");
    assertThat(ProbeConfig.enabled(ProbeConfig.encode(ranges, ProbeOptions.defaults()))).isTrue();
  }
}
