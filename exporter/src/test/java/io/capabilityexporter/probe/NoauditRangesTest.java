package io.capabilityexporter.probe;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.file.Files;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class NoauditRangesTest {
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

    assertThat(NoauditRanges.fromKallsyms(kallsyms))
        .containsExactlyInAnyOrder(
            new NoauditRanges.Range(0xffffffff81368280L, 0xffffffff813682e0L),
            new NoauditRanges.Range(0xffffffff81a87cb0L, 0xffffffff81a87d00L));
  }

  @Test
  void hidden_addresses_give_no_ranges() throws Exception {
    Path kallsyms = dir.resolve("kallsyms");
    Files.writeString(
        kallsyms,
        "0000000000000000 T ns_capable_noaudit\n0000000000000000 T has_capability_noaudit\n");

    assertThat(NoauditRanges.fromKallsyms(kallsyms)).isEmpty();
  }

  @Test
  void finds_every_function_on_this_kernel() throws Exception {
    assertThat(NoauditRanges.fromKallsyms(Path.of("/proc/kallsyms")))
        .as("the noaudit functions of %s", NoauditRanges.FUNCTIONS)
        .hasSizeGreaterThanOrEqualTo(4)
        .allSatisfy(range -> assertThat(Long.compareUnsigned(range.end(), range.start())).isPositive());
  }
}
