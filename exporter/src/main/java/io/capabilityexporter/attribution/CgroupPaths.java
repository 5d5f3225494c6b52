package io.capabilityexporter.attribution;

import java.nio.file.Path;
import java.time.Duration;
import java.util.HashMap;
import java.util.HashSet;
import java.util.Iterator;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.function.LongSupplier;

/**
 * Cgroup ids and their paths relative to the cgroup2 root ("/" for the root), as the kernel tells
 * them: one walk of the tree at start-up finds the cgroups that already exist, and from then on the
 * kernel's cgroup_mkdir and cgroup_release trace events (bpf/capable.bpf.c) say which cgroups are
 * made and which are gone, with their paths. Lookups never touch the filesystem, so a scrape or an
 * event costs the same with 100 cgroups on the host or 100,000, and a cgroup that lived for a
 * millisecond keeps its name.
 *
 * <p>Only where the kernel's cgroup ring overflowed (counted, {@code lostChanges}) may a path be
 * missing: the tree is then walked again, on a thread of its own, at most once per {@link
 * #RESYNC_INTERVAL}. Thread-safe.
 */
public final class CgroupPaths implements AutoCloseable {
  static final int MAX_DEPTH = 32;

  /** The most cgroups followed: a delegated subtree lets unprivileged users make directories. */
  static final int MAX_CGROUPS = 250_000;

  /**
   * How long a gone cgroup's path is kept at least, for the check events that arrive after it went
   * (a window's repeats, a held deny's class, a runtime's held checks: a few seconds at most).
   */
  static final Duration GONE_KEPT = Duration.ofSeconds(10);

  static final Duration RESYNC_INTERVAL = Duration.ofSeconds(10);

  private static final System.Logger LOG = System.getLogger(CgroupPaths.class.getName());

  private final CgroupTreeScan scanner;
  private final Map<Long, String> live = new HashMap<>();

  /** Gone cgroups' paths, in the order of their release, while {@link #GONE_KEPT} lasts. */
  private final LinkedHashMap<Long, Gone> gone = new LinkedHashMap<>();

  /** Gone longer, and still counted by the kernel at the last read. */
  private final Map<Long, String> pinned = new HashMap<>();

  private Set<Long> counted = Set.of();

  private record Gone(String path, long releasedNanos) {}

  private long namesDropped;
  private final LongSupplier nanoClock;
  private Runnable catchUp = () -> {};
  private LongSupplier lostChanges = () -> 0;
  private long lostAtLastWalk;
  private long lastWalkNanos;
  private boolean walking;
  private boolean warnedFull;
  private ExecutorService resync;

  /** Cgroups made while a walk is under way (a walk may miss them); null between walks. */
  private Set<Long> madeDuringWalk;

  /** Follows the cgroups under {@code cgroup2Root}; call {@link #follow} to start. */
  public CgroupPaths(Path cgroup2Root) {
    this(new CgroupTreeScan(cgroup2Root, MAX_DEPTH, MAX_CGROUPS), System::nanoTime);
  }

  CgroupPaths(CgroupTreeScan scanner, LongSupplier nanoClock) {
    this.scanner = scanner;
    this.nanoClock = nanoClock;
  }

  /**
   * Starts following: the kernel's changes must already be flowing into {@link #made} and {@link
   * #released} (changes made before the walk ends are kept in the kernel's ring), so no cgroup
   * falls between the walk and the changes.
   *
   * @param catchUp hands the kernel's pending changes over at once, when an id is not known
   * @param lostChanges how many changes the kernel could not send (its ring was full)
   */
  public void follow(Runnable catchUp, LongSupplier lostChanges) {
    synchronized (this) {
      this.catchUp = catchUp;
      this.lostChanges = lostChanges;
      this.lostAtLastWalk = lostChanges.getAsLong();
    }
    walk();
  }

  /** The kernel made a cgroup. */
  public synchronized void made(long cgroupId, String path) {
    if (isGone(cgroupId)) {
      return;
    }
    if (live.size() >= MAX_CGROUPS && !live.containsKey(cgroupId)) {
      if (!warnedFull) {
        warnedFull = true;
        LOG.log(
            System.Logger.Level.WARNING,
            "more than "
                + MAX_CGROUPS
                + " cgroups on this host: the checks of newer ones are counted under"
                + " container=\"(unknown)\"");
      }
      return;
    }
    live.put(cgroupId, path);
    if (madeDuringWalk != null) {
      madeDuringWalk.add(cgroupId);
    }
  }

  /** The kernel released a cgroup: no task is in it and none can enter it again. */
  public synchronized void released(long cgroupId, String path) {
    String known = live.remove(cgroupId);
    gone.put(cgroupId, new Gone(known != null ? known : path, nanoClock.getAsLong()));
    expire();
    if (gone.size() + pinned.size() > MAX_CGROUPS) { // a flood faster than GONE_KEPT lets go
      gone.remove(gone.keySet().iterator().next());
      namesDropped++;
    }
    if (atStart != null) {
      atStart.remove(cgroupId);
    }
  }

  /** The path of the cgroup, live or gone; empty for an id the kernel never told of. */
  public Optional<String> path(long cgroupId) {
    String path = known(cgroupId);
    if (path == null) {
      catchUp.run();
      path = known(cgroupId);
      if (path == null) {
        resyncIfLost();
      }
    }
    return Optional.ofNullable(path);
  }

  private synchronized String known(long cgroupId) {
    String path = live.get(cgroupId);
    if (path != null) {
      return path;
    }
    Gone departed = gone.get(cgroupId);
    return departed != null ? departed.path() : pinned.get(cgroupId);
  }

  /**
   * The cgroups whose counts the kernel held at the counters' last read: once gone, their paths
   * stay as long as that lasts, however many other cgroups come and go meanwhile.
   */
  public synchronized void stillCounted(Set<Long> cgroupIds) {
    counted = new HashSet<>(cgroupIds);
    pinned.keySet().retainAll(counted);
    expire();
  }

  /** Lets go of paths gone longer than {@link #GONE_KEPT}, but the ones still counted. */
  private void expire() {
    long keptSince = nanoClock.getAsLong() - GONE_KEPT.toNanos();
    Iterator<Map.Entry<Long, Gone>> eldest = gone.entrySet().iterator();
    while (eldest.hasNext()) {
      Map.Entry<Long, Gone> entry = eldest.next();
      if (entry.getValue().releasedNanos() - keptSince > 0) {
        return; // released within GONE_KEPT, and so is every later one
      }
      eldest.remove();
      if (counted.contains(entry.getKey())) {
        pinned.put(entry.getKey(), entry.getValue().path());
      }
    }
  }

  /** Gone cgroups whose paths were let go while the kernel may still have held counts of them. */
  public synchronized long namesDropped() {
    return namesDropped;
  }

  /** Gone cgroups whose paths are kept. */
  public synchronized int goneKept() {
    return gone.size() + pinned.size();
  }

  /**
   * True once the kernel's release of the cgroup has been read. Asked for every cgroup at every
   * scrape, so it does not drain the ring itself: a release read a moment later is seen at the next
   * scrape, which is when its counts are folded for the last time anyway.
   */
  public synchronized boolean isGone(long cgroupId) {
    return gone.containsKey(cgroupId) || pinned.containsKey(cgroupId);
  }

  /** The cgroups the first walk found, as long as they live: those there before the exporter. */
  private Set<Long> atStart;

  public synchronized boolean existedAtStart(long cgroupId) {
    return atStart != null && atStart.contains(cgroupId);
  }

  private void walk() {
    synchronized (this) {
      madeDuringWalk = new HashSet<>();
    }
    CgroupTreeScan.Result result = scanner.scan();
    synchronized (this) {
      if (atStart == null) {
        atStart = new HashSet<>(result.paths().keySet());
      }
      result.paths().forEach(this::madeUnlessKnown);
      if (result.complete()) {
        // A cgroup followed but not in a whole walk was released while the ring was full.
        for (Map.Entry<Long, String> entry : Map.copyOf(live).entrySet()) {
          long id = entry.getKey();
          if (!result.paths().containsKey(id) && !madeDuringWalk.contains(id)) {
            released(id, entry.getValue());
          }
        }
      }
      madeDuringWalk = null;
      lastWalkNanos = nanoClock.getAsLong();
      walking = false;
    }
  }

  /** What a walk found, unless the kernel said more since: a change is newer than a walk. */
  private void madeUnlessKnown(long cgroupId, String path) {
    if (!live.containsKey(cgroupId)) {
      made(cgroupId, path);
    }
  }

  /** A walk off the hot paths, when the kernel's ring lost changes since the last one. */
  private synchronized void resyncIfLost() {
    long lost = lostChanges.getAsLong();
    if (lost == lostAtLastWalk
        || walking
        || nanoClock.getAsLong() - lastWalkNanos < RESYNC_INTERVAL.toNanos()) {
      return;
    }
    LOG.log(
        System.Logger.Level.WARNING,
        "the kernel's cgroup ring overflowed ("
            + (lost - lostAtLastWalk)
            + " changes lost): walking the cgroup tree once to find the paths it missed");
    lostAtLastWalk = lost;
    walking = true;
    if (resync == null) {
      resync =
          Executors.newSingleThreadExecutor(
              task -> {
                Thread thread = new Thread(task, "cgroup-resync");
                thread.setDaemon(true);
                return thread;
              });
    }
    resync.execute(this::walk);
  }

  /** How many live cgroups are followed. */
  public synchronized int size() {
    return live.size();
  }

  /** For tests and diagnostics: the live cgroups known. */
  synchronized Map<Long, String> knownPaths() {
    return Map.copyOf(live);
  }

  @Override
  public synchronized void close() {
    if (resync != null) {
      resync.shutdownNow();
    }
  }
}
