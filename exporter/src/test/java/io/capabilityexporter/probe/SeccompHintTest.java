package io.capabilityexporter.probe;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** Loads refused under a seccomp filter are said to be that, not a kernel without BPF. */
class SeccompHintTest {
  private static final List<String> REFUSED =
      List.of(
          "tp_btf/cap_capable: cannot load tp_btf/cap_capable: errno 1: Operation not permitted",
          "fexit/cap_capable: cannot load fexit/cap_capable: errno 1: Operation not permitted");

  @TempDir Path dir;

  private Path status(String seccomp) throws Exception {
    return Files.writeString(
        dir.resolve("status"), "Name:\tjava\nNoNewPrivs:\t1\nSeccomp:\t" + seccomp + "\n");
  }

  @Test
  void every_hook_refused_under_a_filter_names_seccomp_and_the_fixes() throws Exception {
    assertThat(SeccompHint.of(status("2"), REFUSED))
        .hasValueSatisfying(
            hint ->
                assertThat(hint)
                    .contains("seccomp filter", "seccomp=unconfined", "CAP_BPF", "SYS_ADMIN"));
  }

  @Test
  void without_a_filter_or_with_another_error_there_is_no_hint() throws Exception {
    assertThat(SeccompHint.of(status("0"), REFUSED)).isEmpty();
    assertThat(SeccompHint.of(dir.resolve("absent"), REFUSED)).isEmpty();
    assertThat(
            SeccompHint.of(
                status("2"),
                List.of(REFUSED.get(0), "fexit/cap_capable: cannot attach: errno 524: ENOTSUPP")))
        .isEmpty();
    assertThat(SeccompHint.of(status("2"), List.of())).isEmpty();
  }
}
