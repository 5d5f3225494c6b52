package io.capabilityexporter.node;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.io.IOException;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;

class CloserTest {
  private final List<String> closed = new ArrayList<>();

  @Test
  void closes_in_reverse_order_of_opening() {
    Closer opened = new Closer();
    opened.add(() -> closed.add("registry"));
    opened.add(() -> closed.add("logs"));
    opened.add(() -> closed.add("probe"));

    opened.close();

    assertThat(closed).containsExactly("probe", "logs", "registry");
  }

  @Test
  void a_close_that_throws_does_not_keep_the_others_open() {
    Closer opened = new Closer();
    opened.add(() -> closed.add("registry"));
    opened.add(
        () -> {
          throw new IllegalStateException("first");
        });
    opened.add(
        () -> {
          throw new IllegalStateException("second");
        });

    assertThatThrownBy(opened::close)
        .hasMessage("second")
        .satisfies(e -> assertThat(e.getSuppressed()).extracting("message").contains("first"));
    assertThat(closed).containsExactly("registry");
  }

  @Test
  void after_a_failed_start_up_the_failure_keeps_what_closing_threw() {
    Closer opened = new Closer();
    opened.add(
        () -> {
          throw new IllegalStateException("stuck");
        });
    IOException failure = new IOException("no cgroup v2");

    opened.closeAfter(failure);

    assertThat(failure.getSuppressed()).extracting("message").containsExactly("stuck");
  }
}
