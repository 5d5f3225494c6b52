package io.capabilityexporter.attribution;

import java.nio.file.Path;

/** Cgroup paths without a kernel to tell of changes: what one walk of a tree finds. */
final class CgroupWalks {
  private CgroupWalks() {}

  /** The cgroups under {@code cgroup2Root} that exist now; none made later is ever known. */
  static CgroupPaths walkedOnce(Path cgroup2Root) {
    CgroupPaths paths = new CgroupPaths(cgroup2Root);
    paths.follow(() -> {}, () -> 0);
    return paths;
  }
}
