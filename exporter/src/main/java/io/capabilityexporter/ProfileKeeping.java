package io.capabilityexporter;

import io.capabilityexporter.events.CheckEvent;
import io.capabilityexporter.expected.PodFacts;
import io.capabilityexporter.expected.PodLookup;
import io.capabilityexporter.profiles.ProfileFormat;
import io.capabilityexporter.profiles.ProfileRecorder;
import io.capabilityexporter.profiles.ProfileStore;
import java.io.IOException;
import java.lang.System.Logger.Level;
import java.nio.file.Path;
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

  private final Path file;
  private final ProfileRecorder recorder;
  private final PodLookup pods;
  private final ScheduledExecutorService saver;

  private ProfileKeeping(Path file, ProfileRecorder recorder, PodLookup pods) {
    this.file = file;
    this.recorder = recorder;
    this.pods = pods;
    this.saver =
        Executors.newSingleThreadScheduledExecutor(
            task -> {
              Thread thread = new Thread(task, "profiles-save");
              thread.setDaemon(true);
              return thread;
            });
    saver.scheduleWithFixedDelay(this::save, SAVE_SECONDS, SAVE_SECONDS, TimeUnit.SECONDS);
  }

  /** Reads what an earlier run kept (a corrupt file is set aside with a warning). */
  static ProfileKeeping start(Path file, PodLookup pods) {
    return new ProfileKeeping(file, ProfileStore.load(file, LOG), pods);
  }

  void record(CheckEvent event) {
    if (Boolean.FALSE.equals(event.audit())) {
      return; // most events are noaudit mmap probes: no pod lookup for them
    }
    PodFacts facts =
        event.pod() == null
            ? null
            : pods.pod(event.workload().namespace(), event.workload().pod()).orElse(null);
    recorder.record(event, facts);
  }

  /** All profiles, as {@code /api/v1/profiles} serves them. */
  String json() {
    return ProfileFormat.json(recorder.snapshot());
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
    try {
      saver.awaitTermination(10, TimeUnit.SECONDS);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
    }
    save();
  }
}
