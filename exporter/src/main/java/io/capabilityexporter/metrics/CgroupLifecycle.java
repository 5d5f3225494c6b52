package io.capabilityexporter.metrics;

import io.capabilityexporter.attribution.CgroupResolver;
import io.capabilityexporter.domain.Workload;
import io.capabilityexporter.probe.CountSource;
import java.util.HashSet;
import java.util.Set;

/**
 * A cgroup's way through the scrapes: what each read of its counts is counted under, whether that
 * read is its last, and the letting go of its counts after the last one. Not thread-safe: one
 * refresh at a time.
 */
final class CgroupLifecycle {
  private final CountSource kernel;
  private final CgroupResolver resolver;

  /**
   * Cgroups attribution said were gone at a refresh whose read of the kernel's counts may have come
   * before their release: read once more at the next refresh, then forgotten.
   */
  private final Set<Long> goneAfterRead = new HashSet<>();

  /**
   * One read of a cgroup's counts.
   *
   * @param workload what to count them under; null while they wait in the kernel for a name
   * @param last whether the read holds the cgroup's final counts: fold them, then {@link #release}
   */
  record Read(Workload workload, boolean last) {}

  CgroupLifecycle(CountSource kernel, CgroupResolver resolver) {
    this.kernel = kernel;
    this.resolver = resolver;
  }

  /**
   * @param departed whether the kernel released the cgroup's block before this read
   */
  Read read(long cgroupId, boolean departed, long now) {
    // A departed block was released before this read, so the read holds its final counts. A
    // release attribution knows of may have come after the read: one more refresh, then forget.
    boolean last = departed || goneAfterRead.contains(cgroupId);
    if (!last && resolver.isGone(cgroupId)) {
      goneAfterRead.add(cgroupId);
    }
    return new Read(resolver.resolve(cgroupId, now), last);
  }

  /** The cgroups of one read's counts: the names of the gone ones among them must stay. */
  void stillCounted(Set<Long> cgroupIds) {
    resolver.stillCounted(cgroupIds);
  }

  /** After the last read: a released cgroup can check nothing more, so its counts may go. */
  void release(long cgroupId) {
    goneAfterRead.remove(cgroupId);
    kernel.forget(cgroupId);
    resolver.forget(cgroupId);
  }
}
