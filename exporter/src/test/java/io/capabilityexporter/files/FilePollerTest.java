package io.capabilityexporter.files;

import static org.assertj.core.api.Assertions.assertThat;

import java.time.Duration;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.Test;

class FilePollerTest {
  @Test
  void a_look_that_throws_does_not_stop_the_polling() throws Exception {
    AtomicInteger looks = new AtomicInteger();
    CountDownLatch third = new CountDownLatch(3);
    Runnable look =
        () -> {
          looks.incrementAndGet();
          third.countDown();
          if (looks.get() == 1) {
            throw new IllegalStateException("a file that went away mid-read");
          }
        };
    FilePoller poller = FilePoller.every(Duration.ofMillis(10), "test-poll", "test", look);
    try {
      assertThat(third.await(10, TimeUnit.SECONDS)).isTrue();
    } finally {
      poller.close();
    }
  }

  @Test
  void closing_stops_the_polling() throws Exception {
    AtomicInteger looks = new AtomicInteger();
    CountDownLatch first = new CountDownLatch(1);
    FilePoller poller =
        FilePoller.every(
            Duration.ofMillis(10),
            "test-poll",
            "test",
            () -> {
              looks.incrementAndGet();
              first.countDown();
            });
    assertThat(first.await(10, TimeUnit.SECONDS)).isTrue();
    poller.close();
    Thread.sleep(50); // a look under way when closed may still finish
    int after = looks.get();
    Thread.sleep(100);
    assertThat(looks.get()).isEqualTo(after);
  }
}
