package io.capabilityexporter.attribution;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Optional;
import java.util.Set;
import java.util.concurrent.atomic.AtomicLong;
import java.util.concurrent.atomic.AtomicReference;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** Paths from one walk at start, then from what the kernel says; the kernel is a table here. */
class CgroupPathsTest {
  @TempDir Path root;
  final AtomicLong now = new AtomicLong(1_000_000_000L);
  final AtomicLong lost = new AtomicLong();
  final AtomicLong catchUps = new AtomicLong();

  static long inode(Path dir) throws Exception {
    return (Long) Files.getAttribute(dir, "unix:ino");
  }

  private CgroupPaths following(CgroupTreeScan scan) {
    CgroupPaths paths = new CgroupPaths(scan, now::get);
    paths.follow(catchUps::incrementAndGet, lost::get);
    return paths;
  }

  private CgroupPaths following() {
    return following(new CgroupTreeScan(root, CgroupPaths.MAX_DEPTH, CgroupPaths.MAX_CGROUPS));
  }

  @Test
  void maps_directory_inodes_to_paths_relative_to_the_root() throws Exception {
    Path scope = Files.createDirectories(root.resolve("system.slice/docker-abc.scope"));
    Files.writeString(root.resolve("system.slice/cgroup.procs"), "");
    CgroupPaths paths = following();
    assertThat(paths.path(inode(root))).contains("/");
    assertThat(paths.path(inode(scope))).contains("/system.slice/docker-abc.scope");
    assertThat(paths.path(inode(scope.getParent()))).contains("/system.slice");
    assertThat(paths.knownPaths()).hasSize(3); // files are not cgroups
  }

  @Test
  void learns_a_new_cgroup_from_the_kernel_not_from_the_tree() throws Exception {
    CgroupPaths paths = following();
    long id = inode(Files.createDirectory(root.resolve("new")));
    assertThat(paths.path(id)).as("the tree is not walked again").isEmpty();
    paths.made(id, "/new");
    assertThat(paths.path(id)).contains("/new");
  }

  @Test
  void an_unknown_id_asks_the_kernel_for_pending_changes_first() {
    AtomicReference<CgroupPaths> self = new AtomicReference<>();
    CgroupPaths paths = new CgroupPaths(new CgroupTreeScan(root, 32, 100), now::get);
    paths.follow(() -> self.get().made(77, "/just-made"), lost::get);
    self.set(paths);
    assertThat(paths.path(77)).contains("/just-made");
  }

  @Test
  void a_released_cgroup_is_gone_and_keeps_its_path() {
    CgroupPaths paths = following();
    paths.made(42, "/job");
    assertThat(paths.isGone(42)).isFalse();
    paths.released(42, "/job");
    assertThat(paths.isGone(42)).isTrue();
    assertThat(paths.path(42)).contains("/job");
    assertThat(paths.knownPaths()).doesNotContainKey(42L);
  }

  @Test
  void a_gone_cgroup_keeps_its_path_while_counted_however_many_others_go() {
    CgroupPaths paths = following();
    paths.made(7, "/long-job");
    paths.released(7, "/long-job");
    paths.stillCounted(Set.of(7L)); // its counts wait in the kernel (an undescribed pod's)
    for (long id = 100; id < 100_100; id++) { // 100,000 others come and go
      now.addAndGet(1_000_000); // 1 ms apart
      paths.released(id, "/churn/" + id);
    }
    paths.stillCounted(Set.of(7L, 100_099L));
    assertThat(paths.path(7)).as("still counted: kept").contains("/long-job");
    assertThat(paths.path(100_000)).as("released under 10 s ago: kept").contains("/churn/100000");
    assertThat(paths.path(50_000)).as("long gone, not counted: let go").isEmpty();
    assertThat(paths.goneKept()).as("10 s of releases, and what is counted").isLessThan(10_100);

    paths.stillCounted(Set.of()); // its counts were read for the last time
    assertThat(paths.path(7)).isEmpty();
    assertThat(paths.namesDropped()).isZero();
  }

  @Test
  void a_cgroup_released_before_its_made_was_seen_is_named_by_the_release() {
    CgroupPaths paths = following();
    paths.released(43, "/blink");
    assertThat(paths.path(43)).contains("/blink");
    paths.made(43, "/blink"); // a late record cannot bring it back
    assertThat(paths.isGone(43)).isTrue();
  }

  @Test
  void a_flood_of_unknown_ids_never_walks_the_tree() throws Exception {
    CgroupPaths paths = following();
    Files.createDirectory(root.resolve("unseen"));
    for (long id = 1_000_000; id < 1_010_000; id++) {
      assertThat(paths.path(id)).isEmpty();
      assertThat(paths.isGone(id)).isFalse();
    }
    assertThat(paths.knownPaths()).hasSize(1);
  }

  @Test
  void walks_again_off_the_hot_path_only_after_the_kernel_lost_changes() throws Exception {
    CgroupPaths paths = following();
    long id = inode(Files.createDirectory(root.resolve("missed")));
    lost.incrementAndGet();
    now.addAndGet(CgroupPaths.RESYNC_INTERVAL.toNanos());
    assertThat(paths.path(id)).isEmpty(); // asks for the walk, does not wait for it
    for (int i = 0; i < 100 && paths.path(id).isEmpty(); i++) {
      Thread.sleep(20);
    }
    assertThat(paths.path(id)).contains("/missed");
  }

  @Test
  void a_release_the_kernel_could_not_send_is_found_by_the_walk_after_the_loss() throws Exception {
    Path dir = Files.createDirectory(root.resolve("released-unseen"));
    long id = inode(dir);
    CgroupPaths paths = following();
    Files.delete(dir); // its release lost with a full ring
    lost.incrementAndGet();
    now.addAndGet(CgroupPaths.RESYNC_INTERVAL.toNanos());
    paths.path(999_999_999L); // a miss asks for the walk
    for (int i = 0; i < 100 && !paths.isGone(id); i++) {
      Thread.sleep(20);
    }
    assertThat(paths.isGone(id)).isTrue();
    assertThat(paths.path(id)).contains("/released-unseen");
  }

  @Test
  void does_not_descend_past_the_depth_limit() throws Exception {
    Path deep = Files.createDirectories(root.resolve("a/b/c"));
    CgroupPaths paths = following(new CgroupTreeScan(root, 2, 100));
    assertThat(paths.knownPaths()).containsValues("/", "/a", "/a/b").hasSize(3);
    assertThat(paths.path(inode(deep))).isEmpty();
  }

  @Test
  void stops_at_the_cgroup_count_limit() throws Exception {
    for (int i = 0; i < 10; i++) {
      Files.createDirectories(root.resolve("g" + i + "/child"));
    }
    CgroupPaths paths = following(new CgroupTreeScan(root, 32, 5));
    assertThat(paths.knownPaths()).hasSize(5);
  }

  @Test
  void does_not_follow_symlinks(@TempDir Path outside) throws Exception {
    Path target = Files.createDirectory(outside.resolve("target"));
    Files.createSymbolicLink(root.resolve("link"), outside);
    CgroupPaths paths = following();
    assertThat(paths.path(inode(target))).isEmpty();
    assertThat(paths.path(inode(outside))).isEmpty();
    assertThat(paths.knownPaths()).containsOnlyKeys(inode(root));
  }

  @Test
  void answers_from_several_threads_while_the_kernel_reports() throws Exception {
    long id = inode(Files.createDirectory(root.resolve("shared")));
    CgroupPaths paths = following();
    Thread[] threads = new Thread[8];
    AtomicLong wrong = new AtomicLong();
    for (int t = 0; t < threads.length; t++) {
      long base = 10_000_000L * (t + 1);
      threads[t] =
          new Thread(
              () -> {
                for (int i = 0; i < 2_000; i++) {
                  paths.made(base + i, "/c" + i);
                  paths.released(base + i, "/c" + i);
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
    assertThat(paths.knownPaths()).hasSize(2);
  }
}
