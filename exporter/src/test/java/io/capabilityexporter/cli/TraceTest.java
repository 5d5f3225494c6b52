package io.capabilityexporter.cli;

import static io.capabilityexporter.testing.KernelTests.trigger;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.capabilityexporter.domain.Flag;
import io.capabilityexporter.probe.Count;
import io.capabilityexporter.probe.CountKey;
import io.capabilityexporter.probe.Probe;
import io.capabilityexporter.probe.ProbeOptions;
import io.capabilityexporter.testing.KernelTest;
import io.capabilityexporter.testing.KernelTests;
import io.capabilityexporter.testing.TestCgroup;
import io.vertx.core.json.JsonObject;
import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import java.util.function.Predicate;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** {@code trace} on the real kernel: real processes make real checks, the trace shows them. */
class TraceTest {

  /** A trace running in the background, as a user runs it in a terminal. */
  private static final class Running implements AutoCloseable {
    final ByteArrayOutputStream out = new ByteArrayOutputStream();
    final ByteArrayOutputStream err = new ByteArrayOutputStream();
    final StopSignal stop = new StopSignal();
    final CompletableFuture<Integer> status;

    Running(String... args) throws Exception {
      KernelTests.requireRoot();
      PrintStream outStream = new PrintStream(out, true, StandardCharsets.UTF_8);
      PrintStream errStream = new PrintStream(err, true, StandardCharsets.UTF_8);
      TraceCommand command = new TraceCommand(outStream, errStream, stop);
      status =
          CompletableFuture.supplyAsync(
              () -> {
                try {
                  return command.run(Arrays.asList(args));
                } catch (Exception e) {
                  throw new IllegalStateException(e);
                }
              });
      for (int i = 0; i < 100 && !err().contains("tracing capability checks"); i++) {
        Thread.sleep(50);
      }
      assertThat(err()).contains("tracing capability checks with tp_btf/cap_capable");
    }

    String err() {
      return err.toString(StandardCharsets.UTF_8);
    }

    List<String> lines() {
      return out.toString(StandardCharsets.UTF_8).lines().toList();
    }

    /** The JSON events that match, once at least one has arrived (or after 5 s). */
    List<JsonObject> events(Predicate<JsonObject> wanted) throws InterruptedException {
      List<JsonObject> found = new ArrayList<>();
      for (int i = 0; i < 100 && found.isEmpty(); i++) {
        Thread.sleep(50);
        found = lines().stream().map(JsonObject::new).filter(wanted).toList();
      }
      return found;
    }

    /** Stops the trace as Ctrl-C would, and returns every JSON event it printed. */
    List<JsonObject> stop() throws ExecutionException, TimeoutException {
      close();
      return lines().stream().map(JsonObject::new).toList();
    }

    @Override
    public void close() throws ExecutionException, TimeoutException {
      stop.trigger();
      try {
        assertThat(status.get(10, TimeUnit.SECONDS)).isZero();
      } catch (InterruptedException e) {
        Thread.currentThread().interrupt();
      }
    }
  }

  private static List<String> strings(JsonObject event, String field) {
    return event.getJsonArray(field).stream().map(String.class::cast).toList();
  }

  private static Process run(String... command) throws Exception {
    Process process = new ProcessBuilder(command).redirectErrorStream(true).start();
    process.getInputStream().readAllBytes();
    assertThat(process.waitFor(30, TimeUnit.SECONDS)).isTrue();
    return process;
  }

  @Test
  @KernelTest
  void shows_nice_denied_sys_nice_in_setpriority() throws Exception {
    try (Running trace = new Running("-o", "json", "--comm=nice")) {
      Process nice = run("capsh", "--drop=cap_sys_nice", "--", "-c", "exec nice -n -20 true");

      List<JsonObject> events = trace.events(e -> e.getString("capName").equals("SYS_NICE"));
      assertThat(events).isNotEmpty();
      JsonObject event = events.get(0);
      assertThat(event.getString("verdict")).isEqualTo("Deny");
      assertThat(event.getString("syscall")).isEqualTo("setpriority");
      assertThat(event.getString("comm")).isEqualTo("nice");
      assertThat(event.getLong("pid")).isEqualTo(nice.pid());
      assertThat(event.getInteger("cap")).isEqualTo(23);
      assertThat(event.getInteger("audit")).isEqualTo(1);
      assertThat(event.getLong("count")).isEqualTo(1);
      assertThat(strings(event, "capsNames")).doesNotContain("SYS_NICE").contains("SYS_ADMIN");
      assertThat(event.fieldNames())
          .contains(
              "timestamp",
              "node",
              "namespace",
              "pod",
              "container",
              "pid",
              "tid",
              "comm",
              "syscall",
              "uid",
              "gid",
              "cap",
              "capName",
              "audit",
              "insetid",
              "verdict",
              "targetuserns",
              "currentuserns",
              "mountnsid",
              "caps",
              "capsNames",
              "count");
      assertThat(trace.lines()).allSatisfy(line -> assertThat(line).contains("\"comm\":\"nice\""));
    }
  }

  @Test
  @KernelTest
  void shows_a_mount_from_a_new_user_namespace_denied_in_the_initial_one() throws Exception {
    try (Running trace = new Running("-o", "json", "--cap=SYS_ADMIN", "--verdict=deny")) {
      run("unshare", "--user", "mount", "-t", "tmpfs", "none", "/mnt");

      List<JsonObject> events = trace.events(e -> e.getString("syscall").equals("mount"));
      assertThat(events).isNotEmpty();
      JsonObject event = events.get(0);
      assertThat(event.getString("capName")).isEqualTo("SYS_ADMIN");
      assertThat(event.getString("verdict")).isEqualTo("Deny");
      assertThat(event.getString("comm")).isEqualTo("mount");
      assertThat(event.getLong("targetuserns")).isNotEqualTo(event.getLong("currentuserns"));
      assertThat(trace.lines())
          .map(JsonObject::new)
          .allSatisfy(e -> assertThat(e.getString("verdict")).isEqualTo("Deny"));
    }
  }

  @Test
  @KernelTest
  void marks_set_id_checks_insetid_and_others_not() throws Exception {
    try (Running trace = new Running("-o", "json", "--comm=setpriv", "--cap=SETUID,SYS_ADMIN")) {
      run("setpriv", "--reuid=1000", "--regid=1000", "--clear-groups", "true");

      List<JsonObject> setuid = trace.events(e -> e.getString("syscall").equals("setresuid"));
      assertThat(setuid).isNotEmpty();
      assertThat(setuid.get(0).getString("capName")).isEqualTo("SETUID");
      assertThat(setuid.get(0).getInteger("insetid")).isEqualTo(1);
      assertThat(setuid.get(0).getInteger("audit")).isEqualTo(1);
      assertThat(trace.lines())
          .map(JsonObject::new)
          .filteredOn(e -> e.getString("capName").equals("SYS_ADMIN"))
          .allSatisfy(e -> assertThat(e.getInteger("insetid")).isZero());
    }
  }

  @Test
  @KernelTest
  void folds_a_hot_loop_into_few_events_of_one_container() throws Exception {
    try (TestCgroup cgroup = TestCgroup.create("trace");
        Running trace = new Running("-o", "json", "--container=" + cgroup.label(), "--window=1h")) {
      cgroup.run(
          KernelTests.helper("trigger")
              + " --drop "
              + KernelTests.CAP_SYS_CHROOT
              + " --fail chroot 100000 >/dev/null; true");

      // 99,999 denies the loop went on from, in one event of the window; the last, which the
      // process gave up after (exit status 3), in one of its own (denyClass before_exit).
      List<JsonObject> chroots =
          trace.events(
              e -> e.getString("capName").equals("SYS_CHROOT") && !e.containsKey("denyClass"));
      Thread.sleep(300);
      assertThat(chroots).hasSize(1);
      assertThat(chroots.get(0).getString("container")).isEqualTo(cgroup.label());
      assertThat(chroots.get(0).getLong("count")).isEqualTo(1);
      assertThat(
              trace.lines().stream()
                  .map(JsonObject::new)
                  .filter(e -> "before_exit".equals(e.getString("denyClass")))
                  .map(e -> e.getLong("count"))
                  .toList())
          .containsExactly(1L);
      assertThat(trace.lines())
          .map(JsonObject::new)
          .allSatisfy(e -> assertThat(e.getString("container")).isEqualTo(cgroup.label()));
    }
  }

  @Test
  @KernelTest
  void unique_shows_a_capability_once_per_container_and_verdict() throws Exception {
    try (TestCgroup cgroup = TestCgroup.create("unique");
        Running trace =
            new Running(
                "-o", "json", "--unique", "--container=" + cgroup.label(), "--window=1ms")) {
      trigger(cgroup, KernelTests.CAP_SYS_CHROOT, "chroot", 3);
      trigger(cgroup, KernelTests.CAP_SYS_CHROOT, "chroot", 3);

      trace.events(e -> e.getString("capName").equals("SYS_CHROOT"));
      Thread.sleep(300);
      assertThat(
              trace.lines().stream()
                  .map(JsonObject::new)
                  .filter(e -> e.getString("capName").equals("SYS_CHROOT")))
          .hasSize(1);
    }
  }

  @Test
  @KernelTest
  void prints_the_columns_asked_for() throws Exception {
    try (TestCgroup cgroup = TestCgroup.create("columns");
        Running trace =
            new Running(
                "-o",
                "columns=pid,comm,capname,verdict,count,container",
                "--container=" + cgroup.label())) {
      trigger(cgroup, KernelTests.CAP_SYS_CHROOT, "chroot", 1);
      // The trigger's capset may come first (an audited SETPCAP check): wait for the chroot.
      for (int i = 0;
          i < 100 && trace.lines().stream().noneMatch(l -> l.contains("SYS_CHROOT"));
          i++) {
        Thread.sleep(50);
      }
      assertThat(trace.lines().get(0).split("\\s+"))
          .containsExactly("PID", "COMM", "CAPNAME", "VERDICT", "COUNT", "CONTAINER");
      assertThat(trace.lines())
          .anySatisfy(
              line ->
                  assertThat(line.split("\\s+"))
                      .containsSubsequence("trigger", "SYS_CHROOT", "Deny", "1", cgroup.label()));
    }
  }

  @Test
  @KernelTest
  void prints_the_kernel_stack_when_asked() throws Exception {
    try (TestCgroup cgroup = TestCgroup.create("stack");
        Running trace =
            new Running("-o", "json", "--print-stack", "--container=" + cgroup.label())) {
      trigger(cgroup, KernelTests.CAP_SYS_CHROOT, "chroot", 1);

      List<JsonObject> events = trace.events(e -> e.getString("capName").equals("SYS_CHROOT"));
      assertThat(events).isNotEmpty();
      assertThat(strings(events.get(0), "stack"))
          .anySatisfy(frame -> assertThat(frame).startsWith("cap_capable+0x"))
          .anySatisfy(frame -> assertThat(frame).contains("chroot"));
    }
  }

  @Test
  void a_label_selector_on_a_host_without_kubernetes_exits_2_naming_the_alternatives()
      throws Exception {
    ByteArrayOutputStream err = new ByteArrayOutputStream();
    PrintStream errStream = new PrintStream(err, true, StandardCharsets.UTF_8);
    TraceCommand trace = new TraceCommand(errStream, errStream, new StopSignal());
    assertThat(trace.run(List.of("--selector=app=web", "--timeout=1s"))).isEqualTo(2);
    assertThat(err.toString(StandardCharsets.UTF_8))
        .contains(
            "--selector needs Kubernetes pod labels: run trace where KUBECONFIG (or the pod's"
                + " service account) and NODE_NAME are set, or filter with --namespace, --pod,"
                + " --container or --comm");
  }

  @Test
  void bad_flags_name_the_fault() {
    StopSignal stop = new StopSignal();
    PrintStream sink = new PrintStream(new ByteArrayOutputStream(), true, StandardCharsets.UTF_8);
    TraceCommand trace = new TraceCommand(sink, sink, stop);
    assertThatThrownBy(() -> trace.run(List.of("-o", "yaml")))
        .isInstanceOf(UsageException.class)
        .hasMessageContaining("-o yaml is not an output format");
    assertThatThrownBy(() -> trace.run(List.of("-o", "columns=pid,colour")))
        .hasMessageContaining("unknown column 'colour'");
    assertThatThrownBy(() -> trace.run(List.of("--cap=SYS_FOO")))
        .hasMessageContaining("--cap: unknown capability 'SYS_FOO'");
    assertThatThrownBy(() -> trace.run(List.of("--verdict=maybe")))
        .hasMessage("--verdict=maybe: use allow or deny");
    assertThatThrownBy(() -> trace.run(List.of("--selector=tier in agent")))
        .hasMessageStartingWith(
            "--selector: \"tier in agent\" is not a label selector: expected \"(\" after");
    assertThatThrownBy(() -> trace.run(List.of("--colour")))
        .hasMessageStartingWith("trace: unknown flag --colour");
  }

  /** The key a count is summed under: capability, verdict and audit, as the counters have them. */
  private static String tuple(int capability, boolean denied, Integer audit) {
    return capability + (denied ? " deny " : " allow ") + audit;
  }

  @Test
  @KernelTest
  void the_gadget_demo_shows_every_program_and_its_counts_add_up_to_the_counters(@TempDir Path dir)
      throws Exception {
    Path mnt = Files.createDirectory(dir.resolve("mnt"));
    try (TestCgroup cgroup = TestCgroup.create("demo");
        Probe counters = Probe.attach(ProbeOptions.defaults())) {
      List<JsonObject> events;
      try (Running trace = new Running("-o", "json", "--container=" + cgroup.label())) {
        cgroup.run(
            dir,
            "touch f; chown 1:1 f; chmod 400 f; chroot / true; unshare -m mount -t tmpfs tmpfs "
                + mnt
                + "; unshare -i sh -c \"nsenter -i -t $$ echo OK\"");
        events = trace.stop(); // the last repeats are reported when the trace ends
      }
      Set<String> rows = new HashSet<>();
      Map<String, Long> traced = new HashMap<>();
      for (JsonObject event : events) {
        if (event.getInteger("audit") == 1) {
          rows.add(
              event.getString("comm")
                  + "/"
                  + event.getString("capName")
                  + "/"
                  + event.getString("verdict"));
          if (event.getString("capName").equals("SYS_ADMIN")) {
            rows.add(event.getString("comm") + "/" + event.getString("syscall") + "/SYS_ADMIN");
          }
        }
        traced.merge(
            tuple(
                event.getInteger("cap"),
                event.getString("verdict").equals("Deny"),
                event.getInteger("audit")),
            event.getLong("count"),
            Long::sum);
      }
      assertThat(rows)
          .contains(
              "chown/CHOWN/Allow",
              "chmod/FOWNER/Allow",
              "chmod/FSETID/Allow",
              "chroot/SYS_CHROOT/Allow",
              "mount/mount/SYS_ADMIN",
              "unshare/SYS_ADMIN/Allow",
              "nsenter/setns/SYS_ADMIN");
      Map<String, Long> counted = new HashMap<>();
      for (Count count : counters.readCounts().counts()) {
        CountKey key = count.key();
        if (key.cgroupId() == cgroup.id()) {
          counted.merge(
              tuple(
                  key.capability(),
                  key.denied(),
                  key.audit() == Flag.YES ? 1 : key.audit() == Flag.NO ? 0 : null),
              count.total(),
              Long::sum);
        }
      }
      assertThat(traced).as("the events' counts against the counters").isEqualTo(counted);
    }
  }

  @Test
  @KernelTest
  void a_loop_ending_mid_window_is_counted_whole(@TempDir Path dir) throws Exception {
    try (TestCgroup cgroup = TestCgroup.create("loop")) {
      List<JsonObject> events;
      try (Running trace =
          new Running("-o", "json", "--window=10s", "--container=" + cgroup.label())) {
        trigger(cgroup, KernelTests.CAP_SYS_CHROOT, "chroot", 777);
        events = trace.stop(); // the last repeats are reported when the trace ends
      }
      long sum =
          events.stream()
              .filter(e -> e.getString("capName").equals("SYS_CHROOT"))
              .mapToLong(e -> e.getLong("count"))
              .sum();
      assertThat(sum).isEqualTo(777);
    }
  }

  @Test
  @KernelTest
  void audit_only_leaves_out_the_noaudit_probes_and_nothing_else() throws Exception {
    try (TestCgroup cgroup = TestCgroup.create("quiet")) {
      List<JsonObject> all;
      List<JsonObject> audited;
      try (Running everything = new Running("-o", "json", "--container=" + cgroup.label());
          Running auditOnly =
              new Running("-o", "json", "--audit-only", "--container=" + cgroup.label())) {
        trigger(cgroup, null, "acct", 20);
        trigger(cgroup, KernelTests.CAP_SYS_CHROOT, "chroot", 3);
        all = everything.stop();
        audited = auditOnly.stop();
      }
      assertThat(all).anyMatch(e -> e.getInteger("audit") == 0);
      assertThat(audited).noneMatch(e -> e.getInteger("audit") == 0).isNotEmpty();
      assertThat(summed(audited))
          .isEqualTo(summed(all.stream().filter(e -> e.getInteger("audit") != 0).toList()));
    }
  }

  @Test
  @KernelTest
  void a_terminal_trace_leaves_out_noaudit_checks_and_says_so() throws Exception {
    try (Running trace = new Running()) {
      assertThat(trace.err()).contains("noaudit checks left out").contains("--audit-only=false");
    }
  }

  /** Counts per (comm, capability, verdict): what a person reads off the events. */
  private static Map<String, Long> summed(List<JsonObject> events) {
    Map<String, Long> sums = new HashMap<>();
    for (JsonObject e : events) {
      sums.merge(
          e.getString("comm") + "/" + e.getString("capName") + "/" + e.getString("verdict"),
          e.getLong("count"),
          Long::sum);
    }
    return sums;
  }

  @Test
  @KernelTest
  void a_user_namespace_of_the_workloads_own_is_nested_and_the_seed_case_is_not(@TempDir Path dir)
      throws Exception {
    Path mnt = Files.createDirectory(dir.resolve("mnt"));
    try (TestCgroup cgroup = TestCgroup.create("userns")) {
      List<JsonObject> events;
      try (Running trace =
          new Running("-o", "json", "--cap=SYS_ADMIN", "--container=" + cgroup.label())) {
        cgroup.run(dir, "unshare -Urm mount -t tmpfs tmpfs " + mnt);
        cgroup.run(dir, "unshare -Urf mount -t tmpfs tmpfs " + mnt + " || true");
        events =
            trace.stop().stream()
                .filter(e -> e.getString("comm").equals("mount"))
                .filter(e -> e.getString("syscall").equals("mount"))
                .toList();
      }
      assertThat(events)
          .anyMatch(
              e ->
                  e.getString("verdict").equals("Allow")
                      && e.getString("usernsScope").equals("nested"));
      assertThat(events)
          .as("the seed case: denied against the host's user namespace")
          .anyMatch(
              e ->
                  e.getString("verdict").equals("Deny")
                      && e.getString("usernsScope").equals("container")
                      && e.getString("denyReason").equals("userns"));
    }
  }

  @Test
  @KernelTest
  void a_capability_missing_from_the_effective_set_says_so() throws Exception {
    try (TestCgroup cgroup = TestCgroup.create("reason");
        Running trace =
            new Running("-o", "json", "--cap=SYS_CHROOT", "--container=" + cgroup.label())) {
      trigger(cgroup, KernelTests.CAP_SYS_CHROOT, "chroot", 1);
      List<JsonObject> events = trace.events(e -> e.getString("verdict").equals("Deny"));
      assertThat(events).isNotEmpty();
      assertThat(events.get(0).getString("denyReason")).isEqualTo("not_effective");
    }
  }
}
