// How fast check events come out of the kernel's ring buffer and are decoded:
//   java -cp exporter/target/capability-exporter.jar bench/ring/RingThroughput.java READER MODE N
// READER: MAPPED, the exporter's own reader (the ring's memory mapping read in Java), the only one
// left: the libbpf callback reader it was compared with is gone (bench/RESULTS.md, section 4).
// MODE: drain (trigger acct N fills a 128 MiB ring first, then the reader drains it: the reader's
// own speed), flood (trigger acct N on CPU 1 while the reader drains the default ring), or paced
// (N checks at 100,000/s from a Java thread, the default ring). Every check is an event (fold window 0).
// Run as root, the JVM pinned to CPU 0.
import io.capabilityexporter.attribution.CgroupPaths;
import io.capabilityexporter.attribution.DockerNames;
import io.capabilityexporter.attribution.HostAttributor;
import io.capabilityexporter.attribution.PodmanNames;
import io.capabilityexporter.events.CheckEvent;
import io.capabilityexporter.events.EventDecoder;
import io.capabilityexporter.files.NodeName;
import io.capabilityexporter.probe.EventOptions;
import io.capabilityexporter.probe.Probe;
import io.capabilityexporter.probe.ProbeOptions;
import io.capabilityexporter.probe.Stat;
import com.sun.jna.Library;
import com.sun.jna.Native;
import java.time.Duration;
import java.util.concurrent.atomic.AtomicLong;

public class RingThroughput {
  /** RAW=1: stop at the record (ring and CheckRecord.decode), without names and attribution. */
  static final boolean RAW = "1".equals(System.getenv("RAW"));

  interface CLib extends Library {
    long syscall(long number, Object... args);
  }

  public static void main(String[] args) throws Exception {
    String reader = args[0]; // MAPPED: the exporter's reader, the ring's memory mapping
    String mode = args[1];
    long n = Long.parseLong(args[2]);
    AtomicLong received = new AtomicLong();
    AtomicLong firstNanos = new AtomicLong();
    AtomicLong lastNanos = new AtomicLong();
    int ringBytes = mode.equals("drain") ? 128 << 20 : EventOptions.DEFAULT_RING_BYTES;
    try (Probe probe =
        Probe.attach(
            ProbeOptions.defaults()
                .withEvents(new EventOptions(true, Duration.ZERO, ringBytes, false)))) {
      HostAttributor host =
          new HostAttributor(
              new CgroupPaths(HostAttributor.cgroup2Root()), new DockerNames(), new PodmanNames());
      EventDecoder decoder =
          EventDecoder.forThisHost(probe, host, NodeName.orHostName(System.getenv()), false);
      long[] blackhole = new long[1];
      if (mode.equals("drain")) {
        new ProcessBuilder("taskset", "-c", "1", args[3], "acct", Long.toString(n))
            .start()
            .waitFor();
      }
      long startDrain = System.nanoTime();
      probe.startEvents(
          record -> {
            if (RAW) {
              blackhole[0] += record.pid();
            } else {
              CheckEvent event = decoder.decode(record);
              blackhole[0] += event.pid();
            }
            long now = System.nanoTime();
            if (received.getAndIncrement() == 0) {
              firstNanos.set(now);
            }
            lastNanos.set(now);
          });
      long fullBefore = probe.stat(Stat.RING_FULL);
      long start = System.nanoTime();
      if (mode.equals("drain")) {
        for (int i = 0; i < 600 && received.get() < n; i++) {
          Thread.sleep(10);
        }
        double seconds = (lastNanos.get() - startDrain) / 1e9;
        System.out.printf(
            "%-7s drain  %,d records in the ring; drained %,d in %.3f s: %,.0f records/s%n",
            reader, n, received.get(), seconds, received.get() / seconds);
        return;
      } else if (mode.equals("flood")) {
        Process trigger =
            new ProcessBuilder("taskset", "-c", "1", args[3], "acct", Long.toString(n))
                .inheritIO()
                .start();
        trigger.waitFor();
      } else {
        CLib c = Native.load("c", CLib.class);
        long interval = 10_000; // ns: 100,000 a second
        for (long i = 0; i < n; i++) {
          long due = start + i * interval;
          while (System.nanoTime() < due) {
            Thread.onSpinWait();
          }
          c.syscall(163, (Object) null); // acct(NULL): one CAP_SYS_PACCT check
        }
      }
      long issuedNanos = System.nanoTime() - start;
      for (int i = 0; i < 50 && received.get() < n; i++) {
        Thread.sleep(100);
      }
      long full = probe.stat(Stat.RING_FULL) - fullBefore;
      double seconds = (lastNanos.get() - firstNanos.get()) / 1e9;
      System.out.printf(
          "%-7s %-6s issued %,d in %.2f s (%,.0f/s); received %,d (%,.0f/s); ring full %,d%n",
          reader, mode, n, issuedNanos / 1e9, n / (issuedNanos / 1e9), received.get(),
          received.get() / seconds, full);
    }
  }
}
