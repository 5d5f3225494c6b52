package io.capabilityexporter.privileges;

import io.capabilityexporter.capabilities.Capability;
import io.capabilityexporter.capabilities.CapabilitySets;
import io.capabilityexporter.files.ProcFiles;
import io.capabilityexporter.probe.NativeLoading;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Optional;
import java.util.Set;
import java.util.function.BooleanSupplier;
import java.util.stream.Stream;

/**
 * Once the program is attached and the port bound, the exporter needs little: it works on file
 * descriptors it holds. What it still needs is measured, not assumed: on Linux 6.5 and later the
 * bpf() calls on a map or program already open need no capability; before 6.5, with unprivileged
 * BPF off (kernel.unprivileged_bpf_disabled), every bpf() call needs CAP_BPF (CAP_SYS_ADMIN before
 * 5.8). The rest goes, in every thread: permitted, effective, inheritable, ambient, and the
 * bounding set where the process may change it (as root); no_new_privs is set, so no execve could
 * regain any.
 */
public final class LeastPrivilege {
  private static final Path TASKS = Path.of("/proc/self/task");
  private static final int CAP_SETPCAP = 8;
  private static final int CAP_SYS_ADMIN = 21;
  private static final int CAP_BPF = 39;

  private LeastPrivilege() {}

  /**
   * What was kept and dropped, and the threads where that failed (none when all went well).
   *
   * @param threads the threads of the process, all of which were set
   */
  public record Outcome(long kept, long dropped, int threads, List<String> failures) {
    /** Whether every thread holds only {@link #kept}. */
    public boolean complete() {
      return failures.isEmpty();
    }

    public String describe() {
      if (threads == 0) {
        return "warning: capabilities " + String.join("; ", failures);
      }
      String kept =
          this.kept == 0
              ? "kept none"
              : "kept " + String.join(", ", Capability.namesOf(this.kept)) + " (bpf() needs it)";
      List<String> names = Capability.namesOf(this.dropped);
      String dropped =
          names.isEmpty()
              ? "none to drop"
              : names.size() > 8 ? "all " + names.size() + " it held" : String.join(", ", names);
      String where =
          failures.isEmpty()
              ? "in all " + threads + " threads"
              : "but not in " + failures.size() + " threads: " + String.join("; ", failures);
      return "capabilities after start-up: " + kept + ", dropped " + dropped + " " + where;
    }
  }

  /**
   * As {@link #keepOnlyWhatIsNeeded}, for {@code run} once its start-up is done: a failure is
   * reported in the outcome, not thrown, since the exporter works on with the capabilities it has.
   * ({@code trace} keeps them: a person runs it as root for a while, and its tests run it inside
   * the test JVM, whose capabilities the other kernel tests need.)
   */
  public static Outcome afterStartUp(BooleanSupplier mapAccess) {
    try {
      return keepOnlyWhatIsNeeded(mapAccess);
    } catch (PrivilegeException | IOException e) {
      return new Outcome(0, 0, 0, List.of("all kept for the whole run: " + e.getMessage()));
    }
  }

  /**
   * Keeps only what the rest of the run needs, in every thread of the process.
   *
   * @param mapAccess one bpf() call on a map already held: false when the kernel refuses it
   * @throws PrivilegeException the native helper cannot load or the signal handler not be set; no
   *     capability has been dropped then
   */
  public static Outcome keepOnlyWhatIsNeeded(BooleanSupplier mapAccess)
      throws PrivilegeException, IOException {
    Path self = Path.of("/proc/thread-self/status");
    CapabilitySets before = CapabilitySets.read(self);
    Optional<String> jna = NativeLoading.jnaStubProblem();
    if (jna.isPresent()) {
      throw new PrivilegeException(jna.get());
    }
    ThreadCapabilities threads;
    try {
      threads = ThreadCapabilities.load();
    } catch (UnsatisfiedLinkError e) {
      throw new PrivilegeException(NativeLoading.unpacked("libthreadcaps.so", e));
    }
    long keep = needed(threads, before.permitted(), mapAccess);
    threads.prepare(keep, ~keep);
    List<String> failures = new ArrayList<>();
    int count = setEveryThread(threads, failures);
    failures.addAll(holdingMore(keep));
    return new Outcome(
        keep, (before.permitted() | before.bounding()) & ~keep & allKnown(), count, failures);
  }

  /**
   * Lowers this thread's effective set for one map access, then raises it again. CAP_SETPCAP, where
   * held, stays: raising the set is a capset(2) that asks the kernel for it (cap_inh_is_capped),
   * and without it the kernel would record a denied SETPCAP at every start on a plain host, for
   * CapabilityUnexpectedDeny to fire on. It grants nothing bpf() looks at.
   */
  private static long needed(ThreadCapabilities threads, long permitted, BooleanSupplier mapAccess)
      throws PrivilegeException {
    threads.setEffective(permitted & (1L << CAP_SETPCAP));
    boolean allowed;
    try {
      allowed = mapAccess.getAsBoolean();
    } finally {
      threads.setEffective(permitted);
    }
    return needed(permitted, allowed);
  }

  /** CAP_BPF (CAP_SYS_ADMIN where there is no CAP_BPF) when bpf() was refused without it. */
  static long needed(long permitted, boolean mapAccessAllowedWithout) {
    if (mapAccessAllowedWithout) {
      return 0;
    }
    long bpf = 1L << CAP_BPF;
    return (permitted & bpf) != 0 ? bpf : permitted & (1L << CAP_SYS_ADMIN);
  }

  /**
   * Sets each thread, then lists the threads again until none is new: a thread that started while
   * the others were set may have copied the capabilities of one not yet set.
   */
  private static int setEveryThread(ThreadCapabilities threads, List<String> failures)
      throws IOException {
    Set<Integer> done = new HashSet<>();
    while (true) {
      List<Integer> fresh = tids().stream().filter(tid -> !done.contains(tid)).toList();
      if (fresh.isEmpty()) {
        return done.size();
      }
      for (int tid : fresh) {
        int errno = threads.apply(tid);
        done.add(tid);
        if (errno != 0 && errno != ThreadCapabilities.ESRCH) {
          failures.add(thread(tid) + ": " + reason(errno));
        }
      }
    }
  }

  private static List<String> holdingMore(long keep) throws IOException {
    List<String> holding = new ArrayList<>();
    for (int tid : tids()) {
      CapabilitySets sets;
      try {
        sets = CapabilitySets.read(TASKS.resolve(tid + "/status"));
      } catch (IOException e) {
        continue; // ended meanwhile
      }
      if (!sets.holdsOnly(keep)) {
        holding.add(
            thread(tid)
                + " still holds "
                + String.join(", ", Capability.namesOf(sets.permitted() & ~keep)));
      }
    }
    return holding;
  }

  private static List<Integer> tids() throws IOException {
    try (Stream<Path> tasks = Files.list(TASKS)) {
      return tasks.map(task -> Integer.parseInt(task.getFileName().toString())).toList();
    }
  }

  private static String thread(int tid) {
    try {
      return "thread " + tid + " (" + ProcFiles.read(TASKS.resolve(tid + "/comm")).strip() + ")";
    } catch (IOException e) {
      return "thread " + tid;
    }
  }

  private static String reason(int errno) {
    return errno == ThreadCapabilities.ETIMEDOUT
        ? "did not answer the signal within a second (blocked or stopped)"
        : "errno " + errno;
  }

  private static long allKnown() {
    return Capability.last() >= 63 ? -1L : (1L << (Capability.last() + 1)) - 1;
  }
}
