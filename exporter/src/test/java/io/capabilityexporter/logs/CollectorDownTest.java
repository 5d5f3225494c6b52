package io.capabilityexporter.logs;

import static io.capabilityexporter.logs.KnownChecks.VERSION;
import static io.capabilityexporter.logs.KnownChecks.integer;
import static org.assertj.core.api.Assertions.assertThat;

import io.capabilityexporter.testing.Exposition;
import io.micrometer.prometheusmetrics.PrometheusConfig;
import io.micrometer.prometheusmetrics.PrometheusMeterRegistry;
import java.io.IOException;
import java.net.InetAddress;
import java.net.ServerSocket;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

/** A collector that is not there, then is: nothing breaks, every lost record is counted. */
@Timeout(60)
class CollectorDownTest {
  private static final String QUEUE_FULL =
      "capability_exporter_events_dropped_total{reason=\"otlp_queue_full\"}";
  private static final String EXPORT_FAILED =
      "capability_exporter_events_dropped_total{reason=\"otlp_export_failed\"}";

  private final PrometheusMeterRegistry registry =
      new PrometheusMeterRegistry(PrometheusConfig.DEFAULT);

  @Test
  void recordsThatCannotReachTheCollectorAreCountedAndRecordsFlowAgainWhenItIsBack()
      throws Exception {
    int port = freePort();
    Map<String, String> env = KnownChecks.env("http/protobuf", "http://127.0.0.1:" + port);
    env.put("OTEL_BLRP_MAX_QUEUE_SIZE", "8");
    env.put("OTEL_BLRP_MAX_EXPORT_BATCH_SIZE", "4");
    env.put("OTEL_EXPORTER_OTLP_TIMEOUT", "500");
    try (OtlpLogs logs = OtlpLogs.fromEnvironment(env, registry, VERSION)) {
      for (int pid = 1; pid <= 50; pid++) {
        logs.emit(KnownChecks.chrootAllowedOnAHost(pid));
      }

      awaitDropped(50, Duration.ofSeconds(20));
      assertThat(dropped(QUEUE_FULL)).isPositive();
      assertThat(dropped(EXPORT_FAILED)).isPositive();
      assertThat(logs.inFlight()).isZero();

      try (HttpLogsReceiver collector = HttpLogsReceiver.start(port)) {
        for (int pid = 101; pid <= 105; pid++) {
          logs.emit(KnownChecks.chrootAllowedOnAHost(pid));
        }

        List<Received> received = collector.await(5, Duration.ofSeconds(20));

        assertThat(received)
            .map(r -> r.attributes().get("process.pid"))
            .containsExactlyInAnyOrder(
                integer(101), integer(102), integer(103), integer(104), integer(105));
        assertThat(dropped(QUEUE_FULL) + dropped(EXPORT_FAILED)).isEqualTo(50);
      }
    }
  }

  @Test
  void closeCountsWhatTheCollectorNeverTook() throws Exception {
    Map<String, String> env = KnownChecks.env("http/protobuf", "http://127.0.0.1:" + freePort());
    env.put("OTEL_EXPORTER_OTLP_TIMEOUT", "300");
    env.put("OTEL_BLRP_SCHEDULE_DELAY", "60000");
    OtlpLogs logs = OtlpLogs.fromEnvironment(env, registry, VERSION);
    for (int pid = 1; pid <= 3; pid++) {
      logs.emit(KnownChecks.chrootAllowedOnAHost(pid));
    }

    long started = System.nanoTime();
    logs.close();

    assertThat(Duration.ofNanos(System.nanoTime() - started))
        .isLessThanOrEqualTo(OtlpLogs.CLOSE_TIMEOUT.plusSeconds(1));
    assertThat(dropped(EXPORT_FAILED)).isEqualTo(3);
    assertThat(dropped(QUEUE_FULL)).isZero();
    logs.emit(KnownChecks.chrootAllowedOnAHost(4));
    assertThat(dropped(EXPORT_FAILED) + dropped(QUEUE_FULL)).isEqualTo(3);
  }

  @Test
  void underLoadEveryRecordIsEitherDeliveredOrCountedDropped() throws Exception {
    int emitted = 20_000;
    try (HttpLogsReceiver collector = HttpLogsReceiver.start(0, 2)) {
      Map<String, String> env = KnownChecks.env("http/protobuf", collector.endpoint());
      env.put("OTEL_BLRP_MAX_QUEUE_SIZE", "64");
      env.put("OTEL_BLRP_MAX_EXPORT_BATCH_SIZE", "16");
      OtlpLogs logs = OtlpLogs.fromEnvironment(env, registry, VERSION);
      Thread[] emitters = new Thread[2];
      for (int t = 0; t < emitters.length; t++) {
        int first = t * emitted / emitters.length;
        emitters[t] =
            new Thread(
                () -> {
                  for (int pid = first; pid < first + emitted / emitters.length; pid++) {
                    logs.emit(KnownChecks.chrootAllowedOnAHost(pid));
                  }
                });
        emitters[t].start();
      }
      for (Thread emitter : emitters) {
        emitter.join();
      }
      logs.close();

      long delivered = collector.received().size();
      assertThat(dropped(QUEUE_FULL)).isPositive();
      assertThat(dropped(EXPORT_FAILED)).isPositive();
      assertThat(delivered).isPositive();
      assertThat(delivered + dropped(QUEUE_FULL) + dropped(EXPORT_FAILED)).isEqualTo(emitted);
      assertThat(collector.received())
          .map(r -> r.attributes().get("process.pid"))
          .doesNotHaveDuplicates();
    }
  }

  private void awaitDropped(long expected, Duration timeout) throws InterruptedException {
    long deadline = System.nanoTime() + timeout.toNanos();
    while (dropped(QUEUE_FULL) + dropped(EXPORT_FAILED) < expected
        && System.nanoTime() < deadline) {
      Thread.sleep(20);
    }
    assertThat(dropped(QUEUE_FULL) + dropped(EXPORT_FAILED)).isEqualTo(expected);
  }

  private long dropped(String series) {
    return Exposition.value(registry.scrape(), series).map(Double::longValue).orElse(-1L);
  }

  private static int freePort() throws IOException {
    try (ServerSocket socket = new ServerSocket(0, 1, InetAddress.getLoopbackAddress())) {
      return socket.getLocalPort();
    }
  }
}
