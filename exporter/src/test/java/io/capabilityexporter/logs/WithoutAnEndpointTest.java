package io.capabilityexporter.logs;

import static io.capabilityexporter.logs.KnownChecks.VERSION;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.micrometer.core.instrument.simple.SimpleMeterRegistry;
import java.io.IOException;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.ServerSocket;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.logging.Handler;
import java.util.logging.LogRecord;
import java.util.logging.Logger;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

/** No endpoint configured: quiet, and nothing built. */
@Timeout(30)
class WithoutAnEndpointTest {
  private final Logger julLogger = Logger.getLogger(OtlpLogs.class.getName());
  private final List<String> logLines = new ArrayList<>();
  private final Handler handler =
      new Handler() {
        @Override
        public void publish(LogRecord record) {
          synchronized (logLines) {
            logLines.add(record.getMessage());
          }
        }

        @Override
        public void flush() {}

        @Override
        public void close() {}
      };

  @BeforeEach
  void captureLog() {
    julLogger.addHandler(handler);
  }

  @AfterEach
  void releaseLog() {
    julLogger.removeHandler(handler);
  }

  @Test
  void withoutAnEndpointNothingIsSentNorBuiltAndOneLineSaysSo() throws Exception {
    SimpleMeterRegistry registry = new SimpleMeterRegistry();
    AtomicInteger connections = new AtomicInteger();
    // Whatever the SDK would have tried by default: the OTLP ports on this host.
    List<AutoCloseable> listeners =
        List.of(Listener.on(4317, connections), Listener.on(4318, connections));
    try (OtlpLogs logs =
        OtlpLogs.fromEnvironment(
            Map.of("PATH", "/usr/bin", "OTEL_SERVICE_NAME", "x"), registry, VERSION)) {
      assertThat(logs.enabled()).isFalse();
      for (int pid = 1; pid <= 10_000; pid++) {
        logs.emit(KnownChecks.chrootAllowedOnAHost(pid));
      }
      Thread.sleep(300);

      assertThat(connections).hasValue(0);
      assertThat(logs.inFlight()).isZero();
      assertThat(registry.getMeters()).isEmpty();
    } finally {
      for (AutoCloseable listener : listeners) {
        listener.close();
      }
    }
    assertThat(logLines)
        .containsExactly(
            "OTLP log records off: neither OTEL_EXPORTER_OTLP_ENDPOINT nor"
                + " OTEL_EXPORTER_OTLP_LOGS_ENDPOINT is set");
  }

  @Test
  void anEndpointWithLogsExporterNoneSendsNothing() {
    OtlpLogs logs =
        OtlpLogs.fromEnvironment(
            Map.of(
                "OTEL_EXPORTER_OTLP_ENDPOINT", "http://127.0.0.1:9", "OTEL_LOGS_EXPORTER", "none"),
            new SimpleMeterRegistry(),
            VERSION);

    assertThat(logs.enabled()).isFalse();
    logs.close();
  }

  @Test
  void anInvalidProtocolIsAConfigurationErrorThatNamesIt() {
    assertThatThrownBy(
            () ->
                OtlpLogs.fromEnvironment(
                    Map.of(
                        "OTEL_EXPORTER_OTLP_ENDPOINT", "http://127.0.0.1:9",
                        "OTEL_EXPORTER_OTLP_PROTOCOL", "carrier-pigeon"),
                    new SimpleMeterRegistry(),
                    VERSION))
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessageContaining("carrier-pigeon");
  }

  @Test
  void aQueueThatHoldsNothingIsAConfigurationErrorThatNamesIt() {
    assertThatThrownBy(
            () ->
                OtlpLogs.fromEnvironment(
                    Map.of(
                        "OTEL_EXPORTER_OTLP_ENDPOINT", "http://127.0.0.1:9",
                        "OTEL_BLRP_MAX_QUEUE_SIZE", "0"),
                    new SimpleMeterRegistry(),
                    VERSION))
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessageContaining("OTEL_BLRP_MAX_QUEUE_SIZE");
  }

  /** Counts connections to 127.0.0.1:{@code port}, if the port is free; else does nothing. */
  private static final class Listener implements AutoCloseable {
    private final ServerSocket socket;
    private final Thread thread;

    private Listener(ServerSocket socket, AtomicInteger connections) {
      this.socket = socket;
      this.thread =
          new Thread(
              () -> {
                while (true) {
                  try {
                    socket.accept().close();
                    connections.incrementAndGet();
                  } catch (IOException e) {
                    return;
                  }
                }
              },
              "otlp-port-" + socket.getLocalPort());
      thread.setDaemon(true);
      thread.start();
    }

    static AutoCloseable on(int port, AtomicInteger connections) throws IOException {
      ServerSocket socket = new ServerSocket();
      try {
        socket.bind(new InetSocketAddress(InetAddress.getLoopbackAddress(), port));
      } catch (IOException e) {
        socket.close();
        return () -> {}; // in use by something else: nothing to observe there
      }
      return new Listener(socket, connections);
    }

    @Override
    public void close() throws IOException {
      socket.close();
      try {
        thread.join(1000);
      } catch (InterruptedException e) {
        Thread.currentThread().interrupt();
      }
    }
  }
}
