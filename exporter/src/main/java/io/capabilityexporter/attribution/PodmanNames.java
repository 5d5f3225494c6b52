package io.capabilityexporter.attribution;

import com.fasterxml.jackson.databind.JsonNode;
import io.capabilityexporter.files.UntrustedFile;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.LinkOption;
import java.nio.file.Path;
import java.nio.file.attribute.BasicFileAttributes;
import java.time.Duration;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;
import java.util.regex.Pattern;

/**
 * Podman container names, as {@code podman ps} shows them: containers/storage keeps every
 * container's id and names in {@code <storage>/<driver>-containers/containers.json} (root's storage
 * is /var/lib/containers/storage; Podman's is the first name). The file is untrusted: read only if
 * it is a regular file, at most 8 MiB, parsed with a nesting cap, and a name must match Podman's
 * own pattern before it becomes a label. Missing or odd files give no name, never an error.
 *
 * <p>One read serves every id in it until the file changes (modification time, size, inode), so a
 * host starting many containers reads it once per change, not once per container.
 */
public final class PodmanNames {
  public static final Path DEFAULT_STORAGE = Path.of("/var/lib/containers/storage");

  static final int MAX_FILE_BYTES = 8 << 20;

  /** Read on the scrape path, once per change of the file. */
  private static final UntrustedFile LIST =
      new UntrustedFile(
              "containers/storage container list",
              MAX_FILE_BYTES,
              Duration.ofSeconds(1),
              "Podman containers are named by their id instead")
          .notFollowingLinks();

  private static final int MAX_DEPTH = 8;
  // The drivers whose container list is kept by containers/storage, in the order Podman prefers.
  private static final List<String> DRIVERS = List.of("overlay", "vfs", "btrfs", "zfs");
  private static final Pattern ID = Pattern.compile("[0-9a-f]{64}");
  // Podman's [a-zA-Z0-9][a-zA-Z0-9_.-]*, capped so one label cannot be huge.
  private static final Pattern NAME = Pattern.compile("[a-zA-Z0-9][a-zA-Z0-9_.-]{0,254}");

  private final List<Path> files;
  private final Map<Path, Listing> listings = new HashMap<>();

  /** What one file said, and the file as it was then. */
  private record Listing(Object stamp, Map<String, String> names) {}

  public PodmanNames() {
    this(DEFAULT_STORAGE);
  }

  public PodmanNames(Path storage) {
    this(DRIVERS.stream().map(d -> storage.resolve(d + "-containers/containers.json")).toList());
  }

  private PodmanNames(List<Path> files) {
    this.files = files;
  }

  /**
   * The container's first name, if containers/storage on this host has one for it; else, for a
   * container of a store elsewhere (podman --root), the name its conmon was started with.
   */
  public synchronized Optional<String> name(String containerId) {
    if (!ID.matcher(containerId).matches()) {
      return Optional.empty();
    }
    for (Path file : files) {
      String name = listing(file).names().get(containerId);
      if (name != null) {
        return Optional.of(name);
      }
    }
    return conmon.name(containerId).filter(name -> NAME.matcher(name).matches());
  }

  private final ConmonNames conmon = new ConmonNames(Path.of("/proc"));

  private Listing listing(Path file) {
    Object stamp = stamp(file);
    Listing listing = listings.get(file);
    if (listing == null || !Objects.equals(listing.stamp(), stamp)) {
      listing = new Listing(stamp, stamp == null ? Map.of() : read(file));
      listings.put(file, listing);
    }
    return listing;
  }

  /** What tells one version of the file from the next; null when it is no regular file. */
  private static Object stamp(Path file) {
    try {
      BasicFileAttributes attributes =
          Files.readAttributes(file, BasicFileAttributes.class, LinkOption.NOFOLLOW_LINKS);
      if (!attributes.isRegularFile()) {
        return null; // a FIFO would block the scrape; a symlink could point anywhere
      }
      return List.of(attributes.lastModifiedTime(), attributes.size(), attributes.fileKey());
    } catch (IOException | RuntimeException e) {
      return null;
    }
  }

  /** Id to first name, for the entries that have a well-formed id and name. */
  private static Map<String, String> read(Path file) {
    byte[] bytes;
    try {
      bytes = LIST.read(file);
    } catch (IOException | RuntimeException e) {
      return Map.of();
    }
    Map<String, String> names = new HashMap<>();
    JsonNode containers = RuntimeJson.parse(bytes, MAX_DEPTH).orElse(null);
    if (containers != null && containers.isArray()) {
      for (JsonNode container : containers) {
        String id = container.path("id").textValue();
        String name = container.path("names").path(0).textValue();
        if (id != null
            && ID.matcher(id).matches()
            && name != null
            && NAME.matcher(name).matches()) {
          names.put(id, name);
        }
      }
    }
    return names;
  }
}
