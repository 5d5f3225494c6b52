package io.capabilityexporter.attribution;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Optional;
import java.util.concurrent.atomic.AtomicLong;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class CgroupPathsTest {

  static final Duration INTERVAL = Duration.ofSeconds(1);

  @TempDir Path root;
  final AtomicLong now = new AtomicLong(1_000_000_000L);

  static long inode(Path dir) throws Exception {
    return (Long) Files.getAttribute(dir, "unix:ino");
  }

  private CgroupPaths paths() {
    return new CgroupPaths(root, INTERVAL, now::get);
  }

  private void advance(Duration d) {
    now.addAndGet(d.toNanos());
  }

  @Test
  void maps_directory_inodes_to_paths_relative_to_the_root() throws Exception {
    Path scope = Files.createDirectories(root.resolve("system.slice/docker-abc.scope"));
    Files.writeString(root.resolve("system.slice/cgroup.procs"), "");
    CgroupPaths paths = paths();
    assertThat(paths.path(inode(root))).contains("/");
    assertThat(paths.path(inode(scope))).contains("/system.slice/docker-abc.scope");
    assertThat(paths.path(inode(scope.getParent()))).contains("/system.slice");
    assertThat(paths.knownPaths()).hasSize(3); // files are not cgroups
  }

  @Test
  void finds_a_new_cgroup_only_once_the_rescan_interval_has_passed() throws Exception {
    CgroupPaths paths = paths();
    long id = inode(Files.createDirectory(root.resolve("new")));
    assertThat(paths.path(id)).isEmpty();
    advance(INTERVAL);
    assertThat(paths.path(id)).contains("/new");
  }

  @Test
  void a_flood_of_unknown_ids_walks_the_tree_at_most_once_per_interval() {
    CgroupPaths paths = paths();
    for (long id = 1_000_000; id < 1_010_000; id++) {
      paths.path(id);
      paths.isGone(id);
    }
    assertThat(paths.scans()).isEqualTo(1);
    advance(INTERVAL.minusMillis(1));
    paths.path(42);
    assertThat(paths.scans()).isEqualTo(1);
    advance(Duration.ofMillis(1));
    paths.path(42);
    paths.path(43);
    assertThat(paths.scans()).isEqualTo(2);
  }

  @Test
  void a_known_cgroup_is_gone_once_its_directory_is_removed() throws Exception {
    Path dir = Files.createDirectory(root.resolve("short-lived"));
    long id = inode(dir);
    CgroupPaths paths = paths();
    assertThat(paths.isGone(id)).isFalse();
    Files.delete(dir);
    assertThat(paths.isGone(id)).isTrue();
    advance(INTERVAL);
    paths.path(999_999_999L); // a rescan that no longer sees it
    assertThat(paths.isGone(id)).as("gone stays gone").isTrue();
  }

  @Test
  void an_unknown_id_is_gone_only_after_a_later_scan_still_misses_it() {
    CgroupPaths paths = paths();
    long never = 999_999_999L;
    assertThat(paths.isGone(never)).as("no scan since we were asked").isFalse();
    assertThat(paths.isGone(never)).isFalse();
    advance(INTERVAL);
    assertThat(paths.isGone(never)).isTrue();
  }

  @Test
  void an_id_first_asked_through_path_counts_from_then() {
    CgroupPaths paths = paths();
    long never = 999_999_999L;
    assertThat(paths.path(never)).isEmpty();
    advance(INTERVAL);
    assertThat(paths.path(never)).isEmpty(); // this lookup rescans
    assertThat(paths.isGone(never)).isTrue();
  }

  @Test
  void a_cgroup_found_by_a_rescan_is_not_gone() throws Exception {
    CgroupPaths paths = paths();
    long id = inode(Files.createDirectory(root.resolve("late")));
    assertThat(paths.isGone(id)).isFalse();
    advance(INTERVAL);
    assertThat(paths.isGone(id)).isFalse();
    assertThat(paths.path(id)).contains("/late");
  }

  @Test
  void does_not_descend_past_the_depth_limit_and_then_never_says_gone() throws Exception {
    Path deep = Files.createDirectories(root.resolve("a/b/c"));
    CgroupPaths paths = new CgroupPaths(new CgroupTreeScan(root, 2, 100), INTERVAL, now::get);
    assertThat(paths.knownPaths()).containsValues("/", "/a", "/a/b").hasSize(3);
    assertThat(paths.path(inode(deep))).isEmpty();
    advance(INTERVAL);
    assertThat(paths.isGone(inode(deep))).as("an incomplete scan proves nothing").isFalse();
  }

  @Test
  void stops_at_the_cgroup_count_limit() throws Exception {
    for (int i = 0; i < 10; i++) {
      Files.createDirectories(root.resolve("g" + i + "/child"));
    }
    CgroupPaths paths = new CgroupPaths(new CgroupTreeScan(root, 32, 5), INTERVAL, now::get);
    assertThat(paths.knownPaths()).hasSize(5);
    advance(INTERVAL);
    assertThat(paths.isGone(999_999_999L)).isFalse();
  }

  @Test
  void does_not_follow_symlinks(@TempDir Path outside) throws Exception {
    Path target = Files.createDirectory(outside.resolve("target"));
    Files.createSymbolicLink(root.resolve("link"), outside);
    CgroupPaths paths = paths();
    assertThat(paths.path(inode(target))).isEmpty();
    assertThat(paths.path(inode(outside))).isEmpty();
    assertThat(paths.knownPaths()).containsOnlyKeys(inode(root));
  }

  @Test
  void answers_from_several_threads() throws Exception {
    long id = inode(Files.createDirectory(root.resolve("shared")));
    CgroupPaths paths = paths();
    Thread[] threads = new Thread[8];
    AtomicLong wrong = new AtomicLong();
    for (int t = 0; t < threads.length; t++) {
      threads[t] =
          new Thread(
              () -> {
                for (int i = 0; i < 2_000; i++) {
                  advance(Duration.ofMillis(1));
                  if (!paths.path(id).equals(Optional.of("/shared")) || paths.isGone(id)) {
                    wrong.incrementAndGet();
                  }
                }
              });
      threads[t].start();
    }
    for (Thread thread : threads) {
      thread.join();
    }
    assertThat(wrong.get()).isZero();
  }
}
