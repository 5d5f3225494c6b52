package io.capabilityexporter.attribution;

import java.io.IOException;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Map;
import java.util.Optional;
import java.util.function.LongSupplier;

/**
 * Maps cgroup ids to paths relative to the cgroup2 root ("/" for the root). A cgroup v2 id is the
 * inode number of its directory, so one walk of the tree answers every id that exists.
 *
 * <p>An id we have not seen makes us walk again, but at most once per minimum interval: ids come
 * from the kernel, and a flood of ids of short-lived cgroups must not keep us walking the tree.
 * Thread-safe; calls are serialized, which is fine for a scrape thread.
 */
public final class CgroupPaths {

  public static final Duration DEFAULT_MIN_RESCAN_INTERVAL = Duration.ofSeconds(1);
  static final int MAX_DEPTH = 32;
  static final int MAX_CGROUPS = 100_000;
  private static final int MAX_TRACKED = 65_536;

  private final CgroupTreeScan scanner;
  private final long minRescanNanos;
  private final LongSupplier nanoClock;

  /** Id -> number of scans done when we were first asked about it and did not know it. */
  private final Lru<Long, Long> firstAsked = new Lru<>(MAX_TRACKED);

  /** Ids known to be gone: gone stays gone, even after the tree no longer mentions them. */
  private final Lru<Long, Boolean> gone = new Lru<>(MAX_TRACKED);

  private CgroupTreeScan.Result last;
  private long scans;
  private long lastScanNanos;

  /** Walks the tree under {@code cgroup2Root} now; rescans at most once a second. */
  public CgroupPaths(Path cgroup2Root) {
    this(cgroup2Root, DEFAULT_MIN_RESCAN_INTERVAL, System::nanoTime);
  }

  /**
   * Walks the tree under {@code cgroup2Root} now; rescans at most once per {@code
   * minRescanInterval} as measured by {@code nanoClock}, a monotonic clock in nanoseconds like
   * {@link System#nanoTime()} (injectable for tests).
   */
  public CgroupPaths(Path cgroup2Root, Duration minRescanInterval, LongSupplier nanoClock) {
    this(new CgroupTreeScan(cgroup2Root, MAX_DEPTH, MAX_CGROUPS), minRescanInterval, nanoClock);
  }

  CgroupPaths(CgroupTreeScan scanner, Duration minRescanInterval, LongSupplier nanoClock) {
    this.scanner = scanner;
    this.minRescanNanos = minRescanInterval.toNanos();
    this.nanoClock = nanoClock;
    rescan();
  }

  /** The path of the cgroup, rescanning (rate-limited) if it is not known yet. */
  public synchronized Optional<String> path(long cgroupId) {
    String path = last.paths().get(cgroupId);
    if (path == null) {
      firstAsked.putIfAbsent(cgroupId, scans);
      rescanIfDue();
      path = last.paths().get(cgroupId);
      if (path != null) {
        firstAsked.remove(cgroupId);
      }
    }
    return Optional.ofNullable(path);
  }

  /**
   * True when the cgroup is known to be gone. Errs towards false, since a false "gone" makes the
   * caller drop counts: a cgroup we have a path for is gone once that path no longer holds its
   * inode (cgroup v2 cannot rename); one we never found is gone once a complete scan started after
   * we were first asked about it still does not find it.
   */
  public synchronized boolean isGone(long cgroupId) {
    if (gone.containsKey(cgroupId)) {
      return true;
    }
    String path = last.paths().get(cgroupId);
    if (path != null) {
      return vanished(path, cgroupId) && markGone(cgroupId);
    }
    long askedAt = firstAsked.computeIfAbsent(cgroupId, id -> scans);
    rescanIfDue();
    if (last.paths().containsKey(cgroupId)) {
      firstAsked.remove(cgroupId);
      return false;
    }
    return last.complete() && scans > askedAt && markGone(cgroupId);
  }

  private boolean markGone(long cgroupId) {
    firstAsked.remove(cgroupId);
    gone.put(cgroupId, Boolean.TRUE);
    return true;
  }

  private boolean vanished(String path, long cgroupId) {
    try {
      return scanner.inode(path) != cgroupId;
    } catch (NoSuchFileException e) {
      // If the root itself changed (cgroup2 unmounted under us) every path is missing: not proof.
      return rootUnchanged();
    } catch (IOException | RuntimeException e) {
      return false;
    }
  }

  private boolean rootUnchanged() {
    try {
      return scanner.inode("/") == last.rootInode();
    } catch (IOException | RuntimeException e) {
      return false;
    }
  }

  private void rescanIfDue() {
    if (nanoClock.getAsLong() - lastScanNanos >= minRescanNanos) {
      rescan();
    }
  }

  private void rescan() {
    lastScanNanos = nanoClock.getAsLong();
    last = scanner.scan();
    scans++;
  }

  /** For tests and diagnostics: how many times the tree has been walked. */
  synchronized long scans() {
    return scans;
  }

  synchronized Map<Long, String> knownPaths() {
    return last.paths();
  }
}
