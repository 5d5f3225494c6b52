package io.capabilityexporter.probe;

import static io.capabilityexporter.testing.KernelTests.helper;
import static org.assertj.core.api.Assertions.assertThat;

import io.capabilityexporter.domain.Flag;
import io.capabilityexporter.domain.Origin;
import io.capabilityexporter.testing.KernelTest;
import io.capabilityexporter.testing.KernelTests;
import io.capabilityexporter.testing.TestCgroup;
import java.io.BufferedReader;
import java.io.InputStreamReader;
import java.nio.charset.StandardCharsets;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestInstance;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

/**
 * The runtime boundary (bpf/runtime.bpf.h) on the real kernel, with a runtime in miniature
 * (src/test/c/runtime.c) that makes runc's order of events with checks of known kinds and numbers:
 * what it does for a container, before the container's program runs, is counted as the runtime's in
 * the container's cgroup; what the program does, as the workload's; nothing of it where the runtime
 * itself runs.
 */
@KernelTest
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
class RuntimeBoundaryKernelTest {
  private static final int CAP_SYS_CHROOT = 18;
  private static final int CAP_SYS_ADMIN = 21;

  private Probe probe;

  @BeforeAll
  void attach() throws Exception {
    probe = Probe.attach(ProbeOptions.defaults());
  }

  @AfterAll
  void detach() {
    if (probe != null) {
      probe.close();
    }
  }

  /** Audited checks of one cgroup by "CAPABILITY origin": the kernel's own counts. */
  private Map<String, Long> audited(TestCgroup cgroup) throws Exception {
    return audited(probe, cgroup);
  }

  private static Map<String, Long> audited(Probe probe, TestCgroup cgroup) throws Exception {
    return KernelTests.counts(
        probe,
        cgroup,
        key -> key.audit() == Flag.YES && !key.denied(),
        key -> name(key.capability(), key.origin()));
  }

  private static String name(int capability, Origin origin) {
    return (capability == CAP_SYS_ADMIN
            ? "SYS_ADMIN"
            : capability == CAP_SYS_CHROOT ? "SYS_CHROOT" : Integer.toString(capability))
        + " "
        + origin.label();
  }

  private static Map<String, Long> delta(Map<String, Long> before, Map<String, Long> after) {
    Map<String, Long> delta = new HashMap<>(after);
    before.forEach((key, value) -> delta.merge(key, -value, Long::sum));
    delta.values().removeIf(value -> value == 0);
    return delta;
  }

  private static String runtime(String... args) {
    return helper("runtime") + " " + String.join(" ", args);
  }

  private static String chroots(int count) {
    return helper("trigger") + " chroot " + count;
  }

  /**
   * runc 1.1's start: its init mounts a copy of itself, then re-executes it (a memfd, or its own
   * binary again) before or after runc writes its pid into the container's cgroup: either order,
   * the setup is the runtime's and the program's checks the workload's.
   */
  @ParameterizedTest(name = "re-exec {0}, placed {1}")
  @CsvSource({
    "memfd, before-reexec",
    "memfd, after-reexec",
    "self, before-reexec",
    "self, after-reexec",
    "none, after-reexec"
  })
  void a_containers_setup_is_the_runtimes_and_its_program_the_workloads(
      String reexec, String placed) throws Exception {
    try (TestCgroup engine = TestCgroup.create("runtime-engine");
        TestCgroup container = TestCgroup.create("runtime-container")) {
      engine.run(
          runtime(
              "start",
              "--cgroup",
              container.directory().toString(),
              "--reexec",
              reexec,
              "--placed",
              placed,
              "--setup",
              "3",
              "--mover",
              "2",
              "--",
              chroots(5)));
      assertThat(audited(container))
          .as("umount2 before being placed; unshare, and mount's two after: the runtime's")
          .containsEntry("SYS_ADMIN runtime", 4L)
          .as("3 chroots of the setup, 2 of the runtime after placing it")
          .containsEntry("SYS_CHROOT runtime", 5L)
          .as("the program's own")
          .containsEntry("SYS_CHROOT workload", 5L)
          .doesNotContainKey("SYS_ADMIN workload");
      assertThat(audited(engine))
          .as("where the runtime runs: nothing it did for the container")
          .doesNotContainKeys("SYS_ADMIN workload", "SYS_CHROOT workload", "SYS_CHROOT runtime");
    }
  }

  /** A container running sleep, started by the runtime: its program's pid, and the process. */
  private record Running(Process process, String pid) implements AutoCloseable {
    static Running start(TestCgroup engine, TestCgroup container) throws Exception {
      Process process =
          new ProcessBuilder(
                  "sh",
                  "-c",
                  "echo $$ > "
                      + engine.directory().resolve("cgroup.procs")
                      + " && exec "
                      + RuntimeBoundaryKernelTest.runtime(
                          "start",
                          "--cgroup",
                          container.directory().toString(),
                          "--",
                          "/bin/sleep",
                          "60"))
              .redirectErrorStream(true)
              .start();
      BufferedReader out =
          new BufferedReader(
              new InputStreamReader(process.getInputStream(), StandardCharsets.UTF_8));
      String line = out.readLine();
      assertThat(line).as("the runtime's pid line").startsWith("pid ");
      String pid = line.substring("pid ".length()).strip();
      // Set up once its program runs: the checks before are the start's, not the exec's.
      java.nio.file.Path comm = java.nio.file.Path.of("/proc", pid, "comm");
      for (int i = 0;
          i < 200 && !java.nio.file.Files.readString(comm).strip().equals("sleep");
          i++) {
        Thread.sleep(10);
      }
      assertThat(java.nio.file.Files.readString(comm).strip()).isEqualTo("sleep");
      return new Running(process, pid);
    }

    @Override
    public void close() throws java.io.IOException {
      new ProcessBuilder("kill", pid).start();
      try {
        process.waitFor(30, TimeUnit.SECONDS);
      } catch (InterruptedException e) {
        Thread.currentThread().interrupt();
      }
    }
  }

  /**
   * An exec: the runtime's process enters the container's mount namespace from where the runtime
   * runs, forks the process it then places in the container's cgroup, which sets up and execs the
   * program. The setns part is held and credited to the container's runtime, not left where made.
   */
  @Test
  void an_execs_entering_and_setup_are_the_runtimes_of_the_container_it_enters() throws Exception {
    try (TestCgroup engine = TestCgroup.create("runtime-engine");
        TestCgroup container = TestCgroup.create("runtime-container");
        Running running = Running.start(engine, container)) {
      Map<String, Long> containerBefore = audited(container);
      Map<String, Long> engineBefore = audited(engine);
      engine.run(
          runtime(
              "exec",
              "--target",
              running.pid(),
              "--cgroup",
              container.directory().toString(),
              "--setup",
              "3",
              "--mover",
              "2",
              "--",
              chroots(4)));
      assertThat(delta(containerBefore, audited(container)))
          .as("setns: SYS_ADMIN twice and SYS_CHROOT; then 3 chroots, and 2 by the runtime")
          .containsEntry("SYS_ADMIN runtime", 2L)
          .containsEntry("SYS_CHROOT runtime", 6L)
          .containsEntry("SYS_CHROOT workload", 4L)
          .hasSize(3);
      assertThat(delta(engineBefore, audited(engine)))
          .as("where the runtime runs: not the exec's")
          .isEmpty();
    }
  }

  /**
   * A held check the spill hash cannot take when its lineage is placed (the hash full, or the
   * kernel's free elements used up for a moment in the attach hook, which runs with interrupts off)
   * stays held, and is credited when the kernel settles the lineage: to the container's runtime,
   * not to {@code (overflow)}, when there is room by then.
   */
  @Test
  void held_checks_the_spill_hash_cannot_take_at_once_are_credited_when_settled() throws Exception {
    int capacity = 64;
    List<TestCgroup> fillers = new java.util.ArrayList<>();
    try (Probe small =
            Probe.attach(
                new ProbeOptions(capacity, ProbeOptions.defaults().hooks(), EventOptions.OFF)
                    .withCgroupSlots(1)); // every cgroup but one spills
        TestCgroup engine = TestCgroup.create("runtime-engine");
        TestCgroup container = TestCgroup.create("runtime-container");
        Running running = Running.start(engine, container)) {
      try {
        while (small.readCounts().spillEntries() < capacity && fillers.size() < 2 * capacity) {
          TestCgroup filler = TestCgroup.create("runtime-fill");
          fillers.add(filler);
          filler.run(chroots(1)); // a key of its own
        }
        assertThat(small.readCounts().spillEntries()).as("the spill hash full").isEqualTo(capacity);
        Map<String, Long> before = audited(small, container); // the start's
        engine.run(
            runtime(
                "exec",
                "--target",
                running.pid(),
                "--cgroup",
                container.directory().toString(),
                "--",
                "/bin/true"));
        small.readCounts();
        for (TestCgroup filler : fillers) {
          small.forget(filler.id()); // room again, well within the lineage's 5 s
        }
        java.time.Instant deadline = java.time.Instant.now().plusSeconds(20);
        Map<String, Long> held = Map.of();
        while (java.time.Instant.now().isBefore(deadline)) {
          held = delta(before, audited(small, container));
          if (held.containsKey("SYS_CHROOT runtime")) { // a key the start did not make
            break;
          }
          Thread.sleep(200);
        }
        assertThat(held)
            .as("the exec's setns, held while the hash was full, credited once settled")
            .containsEntry("SYS_ADMIN runtime", 2L)
            .containsEntry("SYS_CHROOT runtime", 1L)
            .doesNotContainKey("SYS_ADMIN workload");
      } finally {
        for (TestCgroup filler : fillers) {
          filler.close();
        }
      }
    }
  }

  /**
   * The check events say what the counters say: the exec's setns, made where the runtime runs and
   * held, arrives as the runtime's in the container it entered; nsenter's as its own.
   */
  @Test
  void held_check_events_arrive_as_whose_they_turned_out_to_be() throws Exception {
    java.util.List<CheckRecord> records = new java.util.concurrent.CopyOnWriteArrayList<>();
    try (TestCgroup engine = TestCgroup.create("runtime-engine");
        TestCgroup container = TestCgroup.create("runtime-container");
        Running running = Running.start(engine, container)) {
      try (Probe events =
          Probe.attach(
              ProbeOptions.defaults()
                  .withEvents(EventOptions.on(java.time.Duration.ofMillis(200), false)))) {
        events.startEvents(records::add);
        String exec =
            runtime(
                "exec",
                "--target",
                running.pid(),
                "--cgroup",
                container.directory().toString(),
                "--",
                chroots(1));
        engine.run(exec + " && " + runtime("enter", "--target", running.pid(), "--", chroots(1)));
      } // closing delivers what is pending
      io.capabilityexporter.events.Syscalls syscalls =
          io.capabilityexporter.events.Syscalls.forThisMachine();
      List<String> setns =
          records.stream()
              .filter(r -> r.capability() == CAP_SYS_CHROOT)
              .filter(r -> syscalls.name(r.syscall()).equals("setns"))
              .map(r -> (r.cgroupId() == container.id() ? "container " : "engine ") + r.origin())
              .toList();
      assertThat(setns).containsExactlyInAnyOrder("container RUNTIME", "engine WORKLOAD");
      assertThat(records).noneMatch(r -> r.origin() == Origin.HELD);
    }
  }

  /** nsenter: enters a container's namespaces and execs, never placed. Its checks are its own. */
  @Test
  void entering_namespaces_without_being_placed_is_the_workloads_own() throws Exception {
    try (TestCgroup engine = TestCgroup.create("runtime-engine");
        TestCgroup container = TestCgroup.create("runtime-container");
        Running running = Running.start(engine, container)) {
      Map<String, Long> containerBefore = audited(container);
      Map<String, Long> engineBefore = audited(engine);
      engine.run(runtime("enter", "--target", running.pid(), "--", chroots(3)));
      assertThat(delta(engineBefore, audited(engine)))
          .as("counted at its exec, where made, as the workload's")
          .containsEntry("SYS_ADMIN workload", 2L)
          .containsEntry("SYS_CHROOT workload", 4L)
          .hasSize(2);
      assertThat(delta(containerBefore, audited(container))).isEmpty();
    }
  }

  /**
   * A process that is not of the host's mount namespace is never the runtime's, whoever moves it: a
   * workload cannot hide its own checks by moving itself or a child into a sub-cgroup.
   */
  @Test
  void a_process_already_in_a_containers_mount_namespace_stays_the_workloads() throws Exception {
    try (TestCgroup engine = TestCgroup.create("runtime-engine");
        TestCgroup container = TestCgroup.create("runtime-container")) {
      engine.run(
          "unshare -m --propagation private "
              + runtime(
                  "start",
                  "--cgroup",
                  container.directory().toString(),
                  "--setup",
                  "3",
                  "--mover",
                  "2",
                  "--",
                  chroots(5)));
      Map<String, Long> counts = audited(container);
      assertThat(counts.keySet()).noneMatch(key -> key.endsWith("runtime"));
      assertThat(counts).containsEntry("SYS_CHROOT workload", 8L);
    }
  }
}
