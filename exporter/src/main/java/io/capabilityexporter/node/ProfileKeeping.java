package io.capabilityexporter.node;

import static java.util.concurrent.TimeUnit.MILLISECONDS;

import io.capabilityexporter.attribution.Attributor;
import io.capabilityexporter.attribution.CgroupOwner;
import io.capabilityexporter.domain.PodFacts;
import io.capabilityexporter.domain.PodLookup;
import io.capabilityexporter.domain.Workload;
import io.capabilityexporter.events.CheckEvent;
import io.capabilityexporter.profiles.ProfileFormat;
import io.capabilityexporter.profiles.ProfileLimits;
import io.capabilityexporter.profiles.ProfileRecorder;
import io.capabilityexporter.profiles.ProfileStore;
import io.capabilityexporter.profiles.WorkloadProfile;
import java.io.IOException;
import java.lang.System.Logger.Level;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.Deque;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;

/**
 * The profiles of {@code run}: every check event recorded with its pod's grants, the whole written
 * to the profiles file every {@value #SAVE_SECONDS} s and at shutdown, so they survive restarts.
 */
final class ProfileKeeping implements AutoCloseable {
  private static final System.Logger LOG = System.getLogger(ProfileKeeping.class.getName());
  static final int SAVE_SECONDS = 30;

  /** Events of cgroups whose owner is not known yet (a pod not yet described), a bounded few. */
  static final int MAX_PENDING = 10_000;

  static final long RETRY_MILLIS = 500;

  private final Path file;
  private final ProfileRecorder recorder;
  private final PodLookup pods;
  private final Attributor attributor;
  private final java.util.function.LongPredicate existedAtStart;
  private final long pendingNanos;
  private final ScheduledExecutorService saver;
  private final Deque<Pending> pending = new ArrayDeque<>();

  private record Pending(CheckEvent event, long since) {}

  private ProfileKeeping(
      Path file,
      ProfileRecorder recorder,
      PodLookup pods,
      Attributor attributor,
      java.util.function.LongPredicate existedAtStart,
      Duration attributionGrace) {
    this.file = file;
    this.recorder = recorder;
    this.pods = pods;
    this.attributor = attributor;
    this.existedAtStart = existedAtStart;
    this.pendingNanos = attributionGrace.toNanos();
    this.saver =
        Executors.newSingleThreadScheduledExecutor(
            task -> {
              Thread thread = new Thread(task, "profiles-save");
              thread.setDaemon(true);
              return thread;
            });
    saver.scheduleWithFixedDelay(this::save, SAVE_SECONDS, SAVE_SECONDS, TimeUnit.SECONDS);
    saver.scheduleWithFixedDelay(this::retryPending, RETRY_MILLIS, RETRY_MILLIS, MILLISECONDS);
  }

  /**
   * Reads what an earlier run kept (a corrupt file is set aside with a warning). Events whose pod
   * the API server has not described yet are kept for up to {@code attributionGrace} and recorded
   * once it has: a container's first checks, made before its pod reached this node's informer,
   * belong in its profile.
   */
  static ProfileKeeping start(
      Path file, ProfileLimits limits, NodeAttribution attribution, Duration attributionGrace) {
    ProfileKeeping keeping =
        new ProfileKeeping(
            file,
            ProfileStore.load(file, limits, LOG),
            attribution.pods(),
            attribution.attributor(),
            attribution::existedAtStart,
            attributionGrace);
    attribution.onReleased(keeping.recorder::released);
    attribution.onEntered(keeping.recorder::execEntered);
    return keeping;
  }

  /** Workloads let go to stay within the limit, since start. */
  long evictions() {
    return recorder.evictions();
  }

  void record(CheckEvent event) {
    if (!ProfileRecorder.worthRecording(event)) {
      return; // most events are noaudit mmap probes: no pod lookup for them
    }
    Optional<Workload> workload = attributor.attribute(event.cgroupId());
    if (workload.isEmpty()) {
      synchronized (pending) {
        if (pending.size() >= MAX_PENDING) {
          pending.removeFirst();
        }
        pending.addLast(new Pending(event, System.nanoTime()));
      }
      return;
    }
    // Named as attribution knows it now: the decoder may have given a provisional name a moment
    // before the pod was described.
    recordNamed(named(event, workload.get()));
  }

  private CheckEvent named(CheckEvent event, Workload workload) {
    return workload.equals(event.workload()) && event.pod() != null
        ? event
        : event.attributedTo(
            workload,
            attributor.pod(event.cgroupId()).orElse(null),
            attributor.containerId(event.cgroupId()));
  }

  private void recordNamed(CheckEvent event) {
    PodFacts facts =
        event.pod() == null
            ? null
            : pods.pod(event.workload().namespace(), event.workload().pod()).orElse(null);
    String kind =
        switch (attributor.engine(event.cgroupId()).orElse(CgroupOwner.Runtime.CONTAINERD)) {
          case PODMAN -> WorkloadProfile.PODMAN_CONTAINER;
          case DOCKER -> WorkloadProfile.DOCKER_CONTAINER;
          default -> WorkloadProfile.CONTAINER;
        };
    recorder.record(event, facts, existedAtStart.test(event.cgroupId()), kind);
  }

  /** Records the pending events whose owner is known now; drops those past the grace period. */
  private void retryPending() {
    List<Pending> due;
    synchronized (pending) {
      due = new ArrayList<>(pending);
      pending.clear();
    }
    long now = System.nanoTime();
    List<Pending> still = new ArrayList<>();
    for (Pending waiting : due) {
      long cgroupId = waiting.event().cgroupId();
      Optional<Workload> workload = attributor.attribute(cgroupId);
      if (workload.isPresent()) {
        recordNamed(named(waiting.event(), workload.get()));
      } else if (now - waiting.since() < pendingNanos) {
        still.add(waiting);
      }
    }
    synchronized (pending) {
      // Older than what came meanwhile: in front, in their order; the oldest go past the bound.
      for (int i = still.size() - 1; i >= 0; i--) {
        pending.addFirst(still.get(i));
      }
      while (pending.size() > MAX_PENDING) {
        pending.removeFirst();
      }
    }
  }

  /** All profiles, as {@code /api/v1/profiles} serves them. */
  void json(java.io.OutputStream out) throws java.io.IOException {
    ProfileFormat.json(recorder.snapshot(), out);
  }

  /** Synchronized: the final save must not be overtaken by a periodic one still running. */
  private synchronized void save() {
    try {
      ProfileStore.save(file, recorder.snapshot());
    } catch (IOException | RuntimeException e) {
      LOG.log(
          Level.WARNING,
          "profiles: cannot write " + file + " (" + e.getMessage() + "); they stay in memory");
    }
  }

  @Override
  public void close() {
    saver.shutdown();
    retryPending();
    try {
      saver.awaitTermination(10, TimeUnit.SECONDS);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
    }
    save();
  }
}
