package io.capabilityexporter.profiles;

import java.util.List;
import java.util.function.Predicate;

/**
 * Every recorded workload's profile, sorted by namespace, kind and name.
 *
 * @param evictions workloads let go since the exporter started, to stay within the limit
 * @param evicted the last of them, most recent last
 */
public record Profiles(List<WorkloadProfile> workloads, long evictions, List<Eviction> evicted) {

  /** The version of the profiles file's and {@code /api/v1/profiles}'s format. */
  public static final int FORMAT_VERSION = 1;

  public static final Profiles EMPTY = new Profiles(List.of());

  public Profiles {
    workloads = List.copyOf(workloads);
    evicted = List.copyOf(evicted);
  }

  /** Profiles with no eviction to tell of. */
  public Profiles(List<WorkloadProfile> workloads) {
    this(workloads, 0, List.of());
  }

  public Profiles filter(Predicate<WorkloadProfile> kept) {
    return new Profiles(workloads.stream().filter(kept).toList(), evictions, evicted);
  }
}
