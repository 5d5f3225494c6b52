package io.capabilityexporter.attribution;

import com.fasterxml.jackson.databind.JsonNode;
import io.capabilityexporter.files.UntrustedFile;
import java.io.IOException;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Optional;
import java.util.regex.Pattern;

/**
 * Docker container names, from the {@code "Name":"/foo"} member of {@code
 * <containers>/<id>/config.v2.json}. The file is treated as untrusted: read only if it is a regular
 * file, not a link (a FIFO would block the scrape), at most 1 MiB, and the name must match Docker's
 * own name pattern before it becomes a label. Missing or odd files give no name, never an error.
 *
 * <p>Results, including "no name", are cached per id, so a {@code docker rename} is not seen.
 */
public final class DockerNames {

  public static final Path DEFAULT_CONTAINERS_DIR = Path.of("/var/lib/docker/containers");
  static final int MAX_FILE_BYTES = 1 << 20;
  // Docker's config nests a few levels (NetworkSettings.Networks.bridge.IPAMConfig...).
  private static final int MAX_DEPTH = 16;

  /** Read on the scrape path: a second is long for it. */
  private static final UntrustedFile CONFIG =
      new UntrustedFile(
              "Docker container config",
              MAX_FILE_BYTES,
              Duration.ofSeconds(1),
              "the container is named by its id instead")
          .notFollowingLinks();

  private static final int CACHE_SIZE = 4096;
  private static final Pattern ID = Pattern.compile("[0-9a-f]{64}");
  // Docker's [a-zA-Z0-9][a-zA-Z0-9_.-]*, capped so one label cannot be huge.
  private static final Pattern NAME = Pattern.compile("[a-zA-Z0-9][a-zA-Z0-9_.-]{0,254}");

  private final Path containersDir;
  private final Lru<String, Optional<String>> cache = new Lru<>(CACHE_SIZE);

  public DockerNames() {
    this(DEFAULT_CONTAINERS_DIR);
  }

  public DockerNames(Path containersDir) {
    this.containersDir = containersDir;
  }

  /** The container's name without Docker's leading "/", if Docker has one on this host. */
  public Optional<String> name(String containerId) {
    if (!ID.matcher(containerId).matches()) {
      return Optional.empty(); // also keeps "../" out of the path we build
    }
    synchronized (cache) {
      Optional<String> cached = cache.get(containerId);
      if (cached != null) {
        return cached;
      }
    }
    Optional<String> name = read(containersDir.resolve(containerId).resolve("config.v2.json"));
    synchronized (cache) {
      cache.put(containerId, name);
    }
    return name;
  }

  private static Optional<String> read(Path file) {
    try {
      // Refused whole when too large: a truncated document could expose a nested "Name".
      byte[] bytes = CONFIG.read(file);
      return RuntimeJson.parse(bytes, MAX_DEPTH)
          .map(config -> config.path("Name"))
          .filter(JsonNode::isTextual)
          .map(JsonNode::textValue)
          .filter(name -> name.startsWith("/"))
          .map(name -> name.substring(1))
          .filter(name -> NAME.matcher(name).matches());
    } catch (IOException | RuntimeException e) {
      return Optional.empty();
    }
  }
}
