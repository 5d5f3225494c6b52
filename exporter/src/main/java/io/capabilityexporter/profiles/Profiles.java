package io.capabilityexporter.profiles;

import java.util.List;
import java.util.function.Predicate;

/** Every recorded workload's profile, sorted by namespace, kind and name. */
public record Profiles(List<WorkloadProfile> workloads) {

  /** The version of the profiles file's and {@code /api/v1/profiles}'s format. */
  public static final int FORMAT_VERSION = 1;

  public static final Profiles EMPTY = new Profiles(List.of());

  public Profiles {
    workloads = List.copyOf(workloads);
  }

  public Profiles filter(Predicate<WorkloadProfile> kept) {
    return new Profiles(workloads.stream().filter(kept).toList());
  }
}
