// Check events end to end, kernel to an OTLP receiver on loopback, sustained:
//   bench/otlp.sh, or: java [-Dbatch=512 -Dqueue=2048 -Dreceiver=full] -cp CLASSPATH \
//       bench/otlp/OtlpThroughput.java RATE SECONDS
// A Java thread makes RATE acct(NULL) checks a second (in bursts each millisecond) for SECONDS;
// the fold window is 0, so every check is an event; the exporter sends them over OTLP
// http/protobuf to a receiver in this process that counts the log records of every request (see
// FULL_DECODE). Prints issued, received, dropped (ring full, OTLP) and rates.
import com.google.protobuf.CodedInputStream;
import com.google.protobuf.WireFormat;
import com.sun.jna.Library;
import com.sun.jna.Native;
import com.sun.net.httpserver.HttpServer;
import io.capabilityexporter.metrics.CheckCounters;
import io.capabilityexporter.node.Exporter;
import io.capabilityexporter.probe.EventOptions;
import io.capabilityexporter.probe.Probe;
import io.capabilityexporter.probe.ProbeOptions;
import io.opentelemetry.proto.collector.logs.v1.ExportLogsServiceRequest;
import io.opentelemetry.proto.collector.logs.v1.ExportLogsServiceResponse;
import java.net.InetSocketAddress;
import java.time.Duration;
import java.util.Map;
import java.util.concurrent.Executors;
import java.util.concurrent.atomic.AtomicLong;

public class OtlpThroughput {
  interface CLib extends Library {
    long syscall(long number, Object... args);
  }

  /**
   * -Dreceiver=full builds every record's objects with the opentelemetry-proto classes, as the
   * tests' receivers do; the default walks the wire format to the records and counts them, closer
   * to what a collector's own decoder costs, so the receiver does not take the exporter's CPU.
   */
  static final boolean FULL_DECODE = "full".equals(System.getProperty("receiver"));

  static long decodedRecords(byte[] body) throws java.io.IOException {
    return ExportLogsServiceRequest.parseFrom(body).getResourceLogsList().stream()
        .flatMap(r -> r.getScopeLogsList().stream())
        .mapToLong(s -> s.getLogRecordsCount())
        .sum();
  }

  /** ExportLogsServiceRequest.resource_logs(1) > ResourceLogs.scope_logs(2) > log_records(2). */
  static long countedRecords(byte[] body) throws java.io.IOException {
    return count(CodedInputStream.newInstance(body), new int[] {1, 2, 2}, 0);
  }

  static long count(CodedInputStream in, int[] path, int depth) throws java.io.IOException {
    long records = 0;
    for (int tag = in.readTag(); tag != 0; tag = in.readTag()) {
      if (WireFormat.getTagFieldNumber(tag) != path[depth]) {
        in.skipField(tag);
      } else if (depth == path.length - 1) {
        in.skipField(tag);
        records++;
      } else {
        int limit = in.pushLimit(in.readRawVarint32());
        records += count(in, path, depth + 1);
        in.popLimit(limit);
      }
    }
    return records;
  }

  public static void main(String[] args) throws Exception {
    int rate = Integer.parseInt(args[0]);
    int seconds = Integer.parseInt(args[1]);
    AtomicLong received = new AtomicLong();
    HttpServer server = HttpServer.create(new InetSocketAddress("127.0.0.1", 0), 0);
    var pool = Executors.newFixedThreadPool(2);
    server.setExecutor(pool);
    server.createContext(
        "/v1/logs",
        exchange -> {
          byte[] request = exchange.getRequestBody().readAllBytes();
          received.addAndGet(FULL_DECODE ? decodedRecords(request) : countedRecords(request));
          byte[] body = ExportLogsServiceResponse.getDefaultInstance().toByteArray();
          exchange.getResponseHeaders().set("Content-Type", "application/x-protobuf");
          exchange.sendResponseHeaders(200, body.length);
          exchange.getResponseBody().write(body);
          exchange.close();
        });
    server.start();
    String endpoint = "http://127.0.0.1:" + server.getAddress().getPort();
    ProbeOptions options =
        ProbeOptions.defaults()
            .withEvents(
                new EventOptions(true, Duration.ZERO, EventOptions.DEFAULT_RING_BYTES, false));
    Map<String, String> env = new java.util.HashMap<>();
    env.put("OTEL_EXPORTER_OTLP_ENDPOINT", endpoint);
    env.put("OTEL_EXPORTER_OTLP_PROTOCOL", "http/protobuf");
    env.put("OTEL_BLRP_SCHEDULE_DELAY", "200");
    // Unset: the exporter's defaults.
    if (System.getProperty("queue") != null) {
      env.put("OTEL_BLRP_MAX_QUEUE_SIZE", System.getProperty("queue"));
    }
    if (System.getProperty("batch") != null) {
      env.put("OTEL_BLRP_MAX_EXPORT_BATCH_SIZE", System.getProperty("batch"));
    }
    try (Exporter exporter =
        Exporter.start(
            options, CheckCounters.Lifetimes.defaults(), "bench", env, new Exporter.Files(null, null))) {
      CLib c = Native.load("c", CLib.class);
      long perMilli = rate / 1000;
      long start = System.nanoTime();
      long issued = 0;
      for (long milli = 0; milli < seconds * 1000L; milli++) {
        long due = start + milli * 1_000_000;
        long wait = due - System.nanoTime();
        if (wait > 0) {
          Thread.sleep(wait / 1_000_000, (int) (wait % 1_000_000));
        }
        for (long i = 0; i < perMilli; i++) {
          c.syscall(163, (Object) null); // acct(NULL): one CAP_SYS_PACCT check, one event
        }
        issued += perMilli;
      }
      double issuedSeconds = (System.nanoTime() - start) / 1e9;
      for (int i = 0; i < 100 && received.get() < issued; i++) {
        Thread.sleep(100);
      }
      String metrics = exporter.scraper().scrape(false).body();
      System.out.printf(
          "rate %,d/s for %d s: issued %,d checks in %.2f s (%,.0f/s); received %,d records%n",
          rate, seconds, issued, issuedSeconds, issued / issuedSeconds, received.get());
      metrics.lines()
          .filter(line -> line.startsWith("capability_exporter_events_dropped_total"))
          .forEach(line -> System.out.println("  " + line));
    } finally {
      server.stop(0);
      pool.shutdownNow(); // its threads are not daemons: the JVM would not exit
    }
  }
}
