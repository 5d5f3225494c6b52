package io.capabilityexporter.profiles;

import io.capabilityexporter.domain.ContainerGrants;
import io.capabilityexporter.domain.Flag;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;

/**
 * One profile per workload from the parts the nodes it ran on recorded (a Deployment's replicas on
 * several nodes): per container and capability the counts summed, the first and last seen the
 * earliest and latest, the syscalls and commands all of them; the lifecycle summed, so that its
 * completeness is the whole workload's. What one node's part says alone (the grants, the image) is
 * taken from the first part that knows it.
 */
public final class ProfileMerge {
  private ProfileMerge() {}

  private record WorkloadKey(String namespace, String kind, String name) {}

  public static Profiles merge(List<Profiles> parts) {
    Map<WorkloadKey, List<WorkloadProfile>> byWorkload = new LinkedHashMap<>();
    long evictions = 0;
    List<Eviction> evicted = new ArrayList<>();
    for (Profiles part : parts) {
      for (WorkloadProfile workload : part.workloads()) {
        byWorkload
            .computeIfAbsent(
                new WorkloadKey(workload.namespace(), workload.kind(), workload.name()),
                key -> new ArrayList<>())
            .add(workload);
      }
      evictions += part.evictions();
      evicted.addAll(part.evicted());
    }
    List<WorkloadProfile> merged = new ArrayList<>();
    byWorkload.forEach((key, same) -> merged.add(workload(key, same)));
    merged.sort(
        Comparator.comparing(WorkloadProfile::namespace)
            .thenComparing(WorkloadProfile::kind)
            .thenComparing(WorkloadProfile::name));
    evicted.sort(Comparator.comparing(Eviction::at));
    return new Profiles(merged, evictions, evicted);
  }

  private static WorkloadProfile workload(WorkloadKey key, List<WorkloadProfile> same) {
    Map<String, List<ContainerProfile>> byName = new LinkedHashMap<>();
    for (WorkloadProfile workload : same) {
      for (ContainerProfile container : workload.containers()) {
        byName.computeIfAbsent(container.name(), name -> new ArrayList<>()).add(container);
      }
    }
    List<ContainerProfile> containers = new ArrayList<>();
    byName.forEach((name, parts) -> containers.add(container(name, parts)));
    containers.sort(Comparator.comparing(ContainerProfile::name));
    return new WorkloadProfile(
        key.namespace(),
        key.kind(),
        key.name(),
        earliest(same.stream().map(WorkloadProfile::firstSeen).toList()),
        latest(same.stream().map(WorkloadProfile::lastSeen).toList()),
        containers);
  }

  private static ContainerProfile container(String name, List<ContainerProfile> parts) {
    String image = "";
    ContainerGrants granted = null;
    long starts = 0;
    long stops = 0;
    long execs = 0;
    boolean beforeExporter = false;
    Map<String, List<CapabilityUse>> byCapability = new LinkedHashMap<>();
    for (ContainerProfile part : parts) {
      image = image.isEmpty() ? part.image() : image;
      granted = granted == null ? part.granted() : granted;
      starts += part.lifecycle().starts();
      stops += part.lifecycle().stops();
      execs += part.lifecycle().execs();
      beforeExporter |= part.lifecycle().beforeExporter();
      for (CapabilityUse use : part.capabilities()) {
        byCapability.computeIfAbsent(use.capability(), c -> new ArrayList<>()).add(use);
      }
    }
    List<CapabilityUse> capabilities = new ArrayList<>();
    byCapability.forEach((capability, uses) -> capabilities.add(use(capability, uses)));
    capabilities.sort(Comparator.comparing(CapabilityUse::capability));
    return new ContainerProfile(
        name,
        image,
        granted,
        earliest(parts.stream().map(ContainerProfile::firstSeen).toList()),
        latest(parts.stream().map(ContainerProfile::lastSeen).toList()),
        capabilities,
        new Lifecycle(starts, stops, execs, beforeExporter));
  }

  private static CapabilityUse use(String capability, List<CapabilityUse> uses) {
    long allowed = 0;
    long denied = 0;
    long fallback = 0;
    long dropChecks = 0;
    long beforeExit = 0;
    Flag audited = Flag.YES;
    LinkedHashSet<String> syscalls = new LinkedHashSet<>();
    LinkedHashSet<String> comms = new LinkedHashSet<>();
    for (CapabilityUse use : uses) {
      allowed += use.allowed();
      denied += use.denied();
      fallback += use.fallback();
      dropChecks += use.dropChecks();
      beforeExit += use.beforeExit();
      audited = use.audited() == Flag.UNKNOWN ? Flag.UNKNOWN : audited;
      syscalls.addAll(use.syscalls());
      comms.addAll(use.comms());
    }
    return new CapabilityUse(
        capability,
        allowed,
        denied,
        fallback,
        dropChecks,
        beforeExit,
        audited,
        earliest(uses.stream().map(CapabilityUse::firstSeen).toList()),
        latest(uses.stream().map(CapabilityUse::lastSeen).toList()),
        List.copyOf(syscalls),
        List.copyOf(comms));
  }

  private static Instant earliest(List<Instant> instants) {
    return instants.stream().min(Comparator.naturalOrder()).orElseThrow();
  }

  private static Instant latest(List<Instant> instants) {
    return instants.stream().max(Comparator.naturalOrder()).orElseThrow();
  }
}
