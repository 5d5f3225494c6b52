package io.capabilityexporter.profiles;

import io.capabilityexporter.capabilities.Capability;
import io.capabilityexporter.domain.ContainerGrants;
import io.capabilityexporter.domain.Flag;
import io.capabilityexporter.domain.Origin;
import io.capabilityexporter.domain.PodFacts;
import io.capabilityexporter.domain.Workload;
import io.capabilityexporter.events.CheckEvent;
import io.capabilityexporter.events.DenyReason;
import java.time.Instant;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.HashMap;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.TreeMap;
import java.util.function.Function;
import java.util.regex.Pattern;

/**
 * Folds check events into per-workload profiles. Thread-safe: the events thread records while HTTP
 * and the periodic save take snapshots.
 *
 * <p>Noaudit checks are skipped: the kernel only probed (the SYS_ADMIN check of every {@code
 * mmap}), and the program works without the capability. So are the container runtime's checks, made
 * setting the container up: they say nothing of what the workload needs. A check whose audit flag
 * is unknown counts as audited. Checks the profile cannot pin on a workload are skipped too: the
 * host itself, unknown cgroups, a pod's sandbox, and a pod the API server has not described yet
 * (its owner unknown).
 */
public final class ProfileRecorder {
  private static final Pattern SYSTEMD_UNIT =
      Pattern.compile(".+\\.(service|scope|socket|mount|swap|slice)");

  private record Key(String namespace, String kind, String name) {}

  /** A running instance of a container: its cgroup, and whose it is. */
  private record Instance(Key workload, String container) {}

  /** The last evictions named in the output. */
  static final int EVICTIONS_KEPT = 20;

  /** Instances followed until they end: as many as a busy node's containers, several times. */
  static final int INSTANCES_FOLLOWED = 16_384;

  private final ProfileLimits limits;
  private final Map<Key, WorkloadTally> workloads = new HashMap<>();
  private final Map<Long, Instance> instances =
      new LinkedHashMap<>(256, 0.75f, false) {
        @Override
        protected boolean removeEldestEntry(Map.Entry<Long, Instance> eldest) {
          return size() > INSTANCES_FOLLOWED;
        }
      };
  // Cgroups released, and whether their instance was counted yet: the cgroup ring is read apart
  // from the events', whose repeats wait out a window and whose denies wait for their class, so a
  // cgroup's last checks, or all of a short-lived one's, often come after its end.
  private final Map<Long, Boolean> ended =
      new LinkedHashMap<>(256, 0.75f, false) {
        @Override
        protected boolean removeEldestEntry(Map.Entry<Long, Boolean> eldest) {
          return size() > INSTANCES_FOLLOWED;
        }
      };
  private final ArrayDeque<Eviction> evicted = new ArrayDeque<>();
  private long evictions;

  public ProfileRecorder(ProfileLimits limits) {
    this.limits = limits;
  }

  /** Continues from profiles read back after a restart; whatever exceeds {@code limits} goes. */
  public static ProfileRecorder resuming(Profiles profiles, ProfileLimits limits) {
    ProfileRecorder recorder = new ProfileRecorder(limits);
    List<WorkloadProfile> oldestFirst =
        profiles.workloads().stream()
            .sorted(Comparator.comparing(WorkloadProfile::lastSeen))
            .toList();
    for (WorkloadProfile workload : oldestFirst) {
      recorder.workloads.put(
          new Key(workload.namespace(), workload.kind(), workload.name()),
          WorkloadTally.of(workload, limits));
      recorder.evictIfOver(workload.lastSeen(), null);
    }
    return recorder;
  }

  /**
   * Whether a check could say what a workload needs: one its own program made (not its runtime)
   * that the kernel audits. Asked before anything is looked up for an event.
   */
  public static boolean worthRecording(CheckEvent event) {
    return event.check().audit() != Flag.NO && event.origin() == Origin.WORKLOAD;
  }

  /**
   * Adds one check event.
   *
   * @param facts the pod's spec, for what each container is granted; null when unknown (outside
   *     Kubernetes, or the pod not yet described), which keeps what was known before
   */
  public void record(CheckEvent event, PodFacts facts) {
    record(event, facts, false, WorkloadProfile.CONTAINER);
  }

  /**
   * As {@link #record(CheckEvent, PodFacts)}, for a check made in a cgroup that existed before the
   * exporter started when {@code beforeExporter}: that instance's start was not seen. A container
   * outside Kubernetes is a workload of kind {@code containerKind}: its engine's.
   */
  public void record(
      CheckEvent event, PodFacts facts, boolean beforeExporter, String containerKind) {
    if (!worthRecording(event)
        // A namespace the workload made, or a deny no grant to the container would lift.
        || event.nestedUserNs()
        || event.denyReason() == DenyReason.USERNS_NOT_OWNER
        || event.check().capability() < 0
        || event.check().capability() >= ProfileLimits.CAPABILITIES) {
      return;
    }
    Optional<Key> key = keyOf(event, containerKind);
    if (key.isEmpty()) {
      return;
    }
    String container = event.workload().container();
    ContainerGrants grants = facts == null ? null : facts.granted(container).orElse(null);
    String image = event.pod() == null ? "" : event.pod().image(container);
    synchronized (this) {
      WorkloadTally workload = workloads.get(key.get());
      if (workload == null) {
        workload = new WorkloadTally(event.timestamp());
        workloads.put(key.get(), workload);
        evictIfOver(event.timestamp(), key.get());
      }
      workload.seen(event.timestamp());
      ContainerTally tally = workload.containers.get(container);
      if (tally == null) {
        tally = new ContainerTally(event.timestamp());
        workload.containers.put(container, tally);
        evictIfOver(workload.containers, limits.containers(), c -> c.lastSeen);
      }
      tally.seen(event, image, grants, limits.names());
      Boolean counted = ended.get(event.cgroupId());
      if (counted == null) {
        if (instances.putIfAbsent(event.cgroupId(), new Instance(key.get(), container)) == null) {
          tally.started(event.cgroupId(), beforeExporter);
        }
      } else if (!counted) {
        tally.started(event.cgroupId(), beforeExporter);
        tally.stopped(event.cgroupId());
        ended.put(event.cgroupId(), true);
      }
    }
  }

  /** A cgroup ended: if it was an instance of a recorded container, that instance stopped. */
  public synchronized void released(long cgroupId) {
    Instance instance = instances.remove(cgroupId);
    ContainerTally tally = tallyOf(instance);
    if (tally != null) {
      tally.stopped(cgroupId);
    }
    ended.put(cgroupId, instance != null);
  }

  /** A runtime entered the cgroup for an exec: one more exec session of its container. */
  public synchronized void execEntered(long cgroupId) {
    ContainerTally tally = tallyOf(instances.get(cgroupId));
    if (tally != null) {
      tally.execs++;
    }
  }

  private ContainerTally tallyOf(Instance instance) {
    if (instance == null) {
      return null;
    }
    WorkloadTally workload = workloads.get(instance.workload());
    return workload == null ? null : workload.containers.get(instance.container());
  }

  /** Workloads let go to stay within the limit, since the exporter started. */
  public synchronized long evictions() {
    return evictions;
  }

  /**
   * Over the limit, one workload goes: of those with no instance running, the one seen least
   * recently; only when every one runs, the least recently seen of all. So a churn of short-lived
   * cgroups cannot push out a long-lived workload that checked only at its start. The one being
   * added ({@code arriving}, its instance not counted yet) stays.
   */
  private void evictIfOver(Instant now, Key arriving) {
    while (workloads.size() > limits.workloads()) {
      Key oldest = null;
      boolean oldestRuns = true;
      Instant oldestSeen = null;
      for (Map.Entry<Key, WorkloadTally> entry : workloads.entrySet()) {
        if (entry.getKey().equals(arriving)) {
          continue;
        }
        boolean runs = entry.getValue().running();
        Instant seen = entry.getValue().lastSeen;
        if (oldest == null
            || (oldestRuns && !runs)
            || (oldestRuns == runs && seen.isBefore(oldestSeen))) {
          oldest = entry.getKey();
          oldestRuns = runs;
          oldestSeen = seen;
        }
      }
      workloads.remove(oldest);
      evictions++;
      evicted.addLast(new Eviction(oldest.namespace(), oldest.kind(), oldest.name(), now));
      while (evicted.size() > EVICTIONS_KEPT) {
        evicted.removeFirst();
      }
    }
  }

  /** Every profile as it stands, sorted by namespace, kind and name. */
  public synchronized Profiles snapshot() {
    List<WorkloadProfile> profiles = new ArrayList<>();
    workloads.forEach(
        (key, tally) -> profiles.add(tally.profile(key.namespace(), key.kind(), key.name())));
    profiles.sort(
        Comparator.comparing(WorkloadProfile::namespace)
            .thenComparing(WorkloadProfile::kind)
            .thenComparing(WorkloadProfile::name));
    return new Profiles(profiles, evictions, List.copyOf(evicted));
  }

  private static Optional<Key> keyOf(CheckEvent event, String containerKind) {
    Workload workload = event.workload();
    PodFacts pod = event.pod();
    String container = workload.container();
    if (container.length() > ProfilesReader.MAX_NAME
        || workload.namespace().length() > ProfilesReader.MAX_NAME
        || (pod != null && pod.owner().name().length() > ProfilesReader.MAX_NAME)) {
      return Optional.empty(); // the file could not hold it (a deep cgroup path)
    }
    if (pod != null) {
      if (pod.owner().name().isEmpty() || event.containerId().isEmpty() || container.isEmpty()) {
        return Optional.empty(); // the sandbox, or nothing to name the workload by
      }
      return Optional.of(new Key(workload.namespace(), pod.owner().kind(), pod.owner().name()));
    }
    if (!workload.namespace().isEmpty() || container.isEmpty() || container.startsWith("(")) {
      return Optional.empty(); // an undescribed pod, the host, or an unknown cgroup
    }
    String kind =
        container.startsWith("/")
            ? WorkloadProfile.CGROUP
            : SYSTEMD_UNIT.matcher(container).matches()
                ? WorkloadProfile.SYSTEMD_UNIT
                : containerKind;
    return Optional.of(new Key("", kind, container));
  }

  private static <K, V> void evictIfOver(Map<K, V> map, int max, Function<V, Instant> lastSeen) {
    while (map.size() > max) {
      K oldest = null;
      Instant oldestSeen = null;
      for (Map.Entry<K, V> entry : map.entrySet()) {
        Instant seen = lastSeen.apply(entry.getValue());
        if (oldestSeen == null || seen.isBefore(oldestSeen)) {
          oldest = entry.getKey();
          oldestSeen = seen;
        }
      }
      map.remove(oldest);
    }
  }

  private static long plus(long a, long b) {
    long sum = a + b;
    return sum < 0 ? Long.MAX_VALUE : sum; // saturates: both are never negative
  }

  private static final class WorkloadTally {
    Instant firstSeen;
    Instant lastSeen;
    final Map<String, ContainerTally> containers = new HashMap<>();

    WorkloadTally(Instant when) {
      firstSeen = when;
      lastSeen = when;
    }

    static WorkloadTally of(WorkloadProfile profile, ProfileLimits limits) {
      WorkloadTally tally = new WorkloadTally(profile.firstSeen());
      tally.lastSeen = profile.lastSeen();
      for (ContainerProfile container : profile.containers()) {
        tally.containers.put(container.name(), ContainerTally.of(container, limits));
        evictIfOver(tally.containers, limits.containers(), c -> c.lastSeen);
      }
      return tally;
    }

    void seen(Instant when) {
      firstSeen = when.isBefore(firstSeen) ? when : firstSeen;
      lastSeen = when.isAfter(lastSeen) ? when : lastSeen;
    }

    /** Whether an instance of one of its containers is running now. */
    boolean running() {
      return containers.values().stream().anyMatch(c -> !c.live.isEmpty());
    }

    WorkloadProfile profile(String namespace, String kind, String name) {
      List<ContainerProfile> profiles = new ArrayList<>();
      new TreeMap<>(containers)
          .forEach((container, tally) -> profiles.add(tally.profile(container)));
      return new WorkloadProfile(namespace, kind, name, firstSeen, lastSeen, profiles);
    }
  }

  private static final class ContainerTally {
    String image = "";
    ContainerGrants granted;
    Instant firstSeen;
    Instant lastSeen;
    final Map<String, CapabilityTally> capabilities = new TreeMap<>();

    /** Its instances running now (their cgroups), a bounded few. */
    final Set<Long> live = new HashSet<>();

    long starts;
    long stops;
    long execs;
    boolean beforeExporter;

    ContainerTally(Instant when) {
      firstSeen = when;
      lastSeen = when;
    }

    void started(long cgroupId, boolean existed) {
      starts++;
      beforeExporter |= existed;
      if (live.size() < 64) {
        live.add(cgroupId);
      }
    }

    void stopped(long cgroupId) {
      if (live.remove(cgroupId)) {
        stops++;
      }
    }

    static ContainerTally of(ContainerProfile profile, ProfileLimits limits) {
      ContainerTally tally = new ContainerTally(profile.firstSeen());
      tally.lastSeen = profile.lastSeen();
      tally.image = profile.image();
      tally.granted = profile.granted();
      tally.starts = profile.lifecycle().starts();
      tally.stops = profile.lifecycle().stops();
      tally.execs = profile.lifecycle().execs();
      tally.beforeExporter = profile.lifecycle().beforeExporter();
      for (CapabilityUse use : profile.capabilities()) {
        tally.capabilities.put(use.capability(), CapabilityTally.of(use, limits.names()));
      }
      return tally;
    }

    void seen(CheckEvent event, String image, ContainerGrants grants, int maxNames) {
      Instant when = event.timestamp();
      firstSeen = when.isBefore(firstSeen) ? when : firstSeen;
      lastSeen = when.isAfter(lastSeen) ? when : lastSeen;
      if (!image.isEmpty()) {
        this.image = image;
      }
      if (grants != null) {
        granted = grants;
      }
      capabilities
          .computeIfAbsent(
              Capability.name(event.check().capability()), name -> new CapabilityTally(when))
          .seen(event, maxNames);
    }

    ContainerProfile profile(String name) {
      List<CapabilityUse> uses = new ArrayList<>();
      capabilities.forEach((capability, tally) -> uses.add(tally.use(capability)));
      return new ContainerProfile(
          name,
          image,
          granted,
          firstSeen,
          lastSeen,
          uses,
          new Lifecycle(starts, stops, execs, beforeExporter));
    }
  }

  private static final class CapabilityTally {
    long allowed;
    long denied;
    long fallback;
    long dropChecks;
    long beforeExit;
    boolean auditUnknown;
    Instant firstSeen;
    Instant lastSeen;
    // Insertion order is recency: a name seen again moves to the end; the first goes when full.
    final LinkedHashSet<String> syscalls = new LinkedHashSet<>();
    final LinkedHashSet<String> comms = new LinkedHashSet<>();

    CapabilityTally(Instant when) {
      firstSeen = when;
      lastSeen = when;
    }

    static CapabilityTally of(CapabilityUse use, int maxNames) {
      CapabilityTally tally = new CapabilityTally(use.firstSeen());
      tally.lastSeen = use.lastSeen();
      tally.allowed = use.allowed();
      tally.denied = use.denied();
      tally.fallback = use.fallback();
      tally.dropChecks = use.dropChecks();
      tally.beforeExit = use.beforeExit();
      tally.auditUnknown = use.audited() == Flag.UNKNOWN;
      use.syscalls().forEach(name -> touch(tally.syscalls, name, maxNames));
      use.comms().forEach(name -> touch(tally.comms, name, maxNames));
      return tally;
    }

    void seen(CheckEvent event, int maxNames) {
      long count = Math.max(1, event.count());
      if (event.check().denied()) {
        denied = plus(denied, count);
        switch (event.check().denyClass()) {
          case FALLBACK -> fallback = plus(fallback, count);
          case DROP_CHECK -> dropChecks = plus(dropChecks, count);
          case BEFORE_EXIT -> beforeExit = plus(beforeExit, count);
          case NONE -> {}
        }
      } else {
        allowed = plus(allowed, count);
      }
      auditUnknown |= event.check().audit() == Flag.UNKNOWN;
      Instant when = event.timestamp();
      firstSeen = when.isBefore(firstSeen) ? when : firstSeen;
      lastSeen = when.isAfter(lastSeen) ? when : lastSeen;
      touch(syscalls, event.syscall(), maxNames);
      touch(comms, event.comm(), maxNames);
    }

    private static void touch(LinkedHashSet<String> names, String name, int max) {
      names.remove(name);
      names.add(name);
      while (names.size() > max) {
        names.remove(names.iterator().next());
      }
    }

    CapabilityUse use(String capability) {
      return new CapabilityUse(
          capability,
          allowed,
          denied,
          fallback,
          dropChecks,
          beforeExit,
          auditUnknown ? Flag.UNKNOWN : Flag.YES,
          firstSeen,
          lastSeen,
          List.copyOf(syscalls),
          List.copyOf(comms));
    }
  }
}
