package io.capabilityexporter.files;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.BasicFileAttributes;
import java.nio.file.attribute.FileTime;

/**
 * What tells a changed file from the same one without reading it: the modification time, size and
 * file key (device and inode) of the file a path resolves to. A Kubernetes ConfigMap volume updates
 * by swapping the symlink {@code ..data} to a new directory, so the path's target changes inode
 * while the path stays.
 *
 * @param fileKey null where the file system has none
 */
public record FileStamp(FileTime modified, long size, Object fileKey) {

  /** A path that resolves to nothing, or cannot be read. */
  public static final FileStamp MISSING = new FileStamp(FileTime.fromMillis(0), -1, null);

  public static FileStamp of(Path path) {
    try {
      BasicFileAttributes attributes = Files.readAttributes(path, BasicFileAttributes.class);
      return new FileStamp(attributes.lastModifiedTime(), attributes.size(), attributes.fileKey());
    } catch (IOException e) {
      return MISSING;
    }
  }
}
