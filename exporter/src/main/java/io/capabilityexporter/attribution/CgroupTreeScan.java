package io.capabilityexporter.attribution;

import io.capabilityexporter.files.FileNames;
import java.io.IOException;
import java.lang.System.Logger.Level;
import java.nio.file.DirectoryIteratorException;
import java.nio.file.DirectoryStream;
import java.nio.file.Files;
import java.nio.file.LinkOption;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.util.ArrayDeque;
import java.util.Deque;
import java.util.HashMap;
import java.util.Map;

/**
 * One walk of a cgroup2 tree: directory inode -> path relative to the root. Bounded in depth and in
 * the number of cgroups, because a delegated subtree (rootless containers, systemd in a container)
 * lets unprivileged users make directories; symlinks and other filesystems mounted inside are not
 * followed.
 */
final class CgroupTreeScan {
  private static final System.Logger LOG = System.getLogger(CgroupTreeScan.class.getName());
  private static final LinkOption[] NOFOLLOW = {LinkOption.NOFOLLOW_LINKS};

  /**
   * {@code complete} is false when part of the tree was not read (limits hit, unreadable
   * directories): an id missing from an incomplete scan may still exist.
   */
  record Result(Map<Long, String> paths, boolean complete, long rootInode) {}

  /**
   * @param text the path relative to the root, as {@link FileNames#text} writes each name ("" for
   *     the root)
   */
  private record Dir(Path path, String text, int depth) {}

  private final Path root;
  private final int maxDepth;
  private final int maxCgroups;
  private boolean warned;

  CgroupTreeScan(Path root, int maxDepth, int maxCgroups) {
    this.root = root;
    this.maxDepth = maxDepth;
    this.maxCgroups = maxCgroups;
  }

  Result scan() {
    Map<Long, String> paths = new HashMap<>();
    long rootInode;
    Object rootDevice;
    try {
      Map<String, Object> attrs = Files.readAttributes(root, "unix:ino,dev", NOFOLLOW);
      rootInode = (Long) attrs.get("ino");
      rootDevice = attrs.get("dev");
    } catch (IOException | RuntimeException e) {
      return new Result(Map.of(), false, -1);
    }
    paths.put(rootInode, "/");
    boolean complete = true;
    boolean full = false;
    Deque<Dir> todo = new ArrayDeque<>();
    todo.push(new Dir(root, "", 0));
    while (!todo.isEmpty() && !full) {
      Dir dir = todo.pop();
      try (DirectoryStream<Path> entries = Files.newDirectoryStream(dir.path())) {
        for (Path entry : entries) {
          Map<String, Object> attrs;
          try {
            attrs = Files.readAttributes(entry, "unix:isDirectory,ino,dev,nlink", NOFOLLOW);
          } catch (NoSuchFileException e) {
            continue; // removed while we walk: it is gone, not unreadable
          }
          if (!Boolean.TRUE.equals(attrs.get("isDirectory"))
              || !rootDevice.equals(attrs.get("dev"))) {
            continue; // control files, and mounts that are not this cgroup2 hierarchy
          }
          if (dir.depth() >= maxDepth) {
            complete = false; // skip this subtree only
            continue;
          }
          if (paths.size() >= maxCgroups) {
            complete = false;
            full = true;
            break;
          }
          // The entry's own bytes, not its text in the JVM's encoding (ASCII without LANG).
          String text = dir.text() + "/" + FileNames.name(entry);
          paths.put((Long) attrs.get("ino"), text);
          // A directory's link count is 2 plus its subdirectories (kernfs keeps it so, as Unix
          // filesystems do): a leaf cgroup is not listed, so its ~30 control files are not
          // stat'ed one by one (a walk of 100,000 cgroups took ~19 s that way).
          if (!Integer.valueOf(2).equals(attrs.get("nlink"))) {
            todo.push(new Dir(entry, text, dir.depth() + 1));
          }
        }
      } catch (NoSuchFileException e) {
        // the directory went away while we walked
      } catch (IOException | DirectoryIteratorException | ClassCastException e) {
        complete = false;
      }
    }
    warnOnce(complete);
    return new Result(Map.copyOf(paths), complete, rootInode);
  }

  /** Say it once per change, since scans may run every second. */
  private void warnOnce(boolean complete) {
    if (!complete && !warned) {
      LOG.log(
          Level.WARNING,
          "cgroup tree under {0} is deeper than {1} or larger than {2} cgroups, or partly"
              + " unreadable; cgroups beyond that stay unattributed",
          root,
          maxDepth,
          maxCgroups);
    }
    warned = !complete;
  }
}
