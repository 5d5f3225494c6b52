package io.capabilityexporter.profiles;

import io.capabilityexporter.files.UntrustedFile;
import io.capabilityexporter.files.UntrustedFileException;
import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.channels.FileChannel;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.nio.file.StandardOpenOption;
import java.time.Clock;
import java.time.Duration;
import java.util.function.Consumer;

/**
 * Keeps profiles across restarts in one JSON file on the node (the DaemonSet's hostPath). Saving is
 * atomic: a temporary file in the same directory, fsync, rename, fsync of the directory, so a crash
 * leaves the old file or the new one, never half of one. A file that does not read back is set
 * aside as {@code profiles.json.corrupt-20250601T123456Z} and recording starts afresh; what piles
 * up beside the file is kept bounded ({@link ProfileLeftovers}).
 */
public final class ProfileStore {
  /** Where {@code run} keeps profiles, and where {@code profile} reads them. */
  public static final Path DEFAULT_FILE = Path.of("/var/lib/capability-exporter/profiles.json");

  /**
   * Read whole under the exporter's 128 MiB heap, so it is bounded well below that; a snapshot that
   * would be larger is not written (the previous file stays).
   */
  static final long MAX_FILE_BYTES = 16L << 20;

  /**
   * On a host path, so untrusted: nothing legitimate makes it a symbolic link, and a FIFO there
   * must not block start-up.
   */
  private static final UntrustedFile FILE =
      new UntrustedFile(
              "profiles file",
              MAX_FILE_BYTES,
              Duration.ofSeconds(10),
              "the exporter sets such a file aside when it starts, and writes a new one")
          .notFollowingLinks();

  private ProfileStore() {}

  /** As below, warnings logged. */
  public static ProfileRecorder load(Path file, ProfileLimits limits, System.Logger log) {
    return load(
        file, limits, message -> log.log(System.Logger.Level.WARNING, message), Clock.systemUTC());
  }

  /**
   * A recorder that continues the profiles in {@code file}; an empty one when there is no file yet.
   * A file that cannot be read, or is not a profiles file within {@code limits}, is renamed aside
   * and {@code warnings} told, for example:
   *
   * <pre>
   * profiles file /var/lib/capability-exporter/profiles.json is unusable (workloads[0].containers[0]
   * .capabilities[0].denied: -5 is negative); moved it to profiles.json.corrupt-20250601T123456Z
   * and started afresh
   * </pre>
   */
  public static ProfileRecorder load(
      Path file, ProfileLimits limits, Consumer<String> warnings, Clock clock) {
    ProfileRecorder recorder;
    try {
      recorder = ProfileRecorder.resuming(read(file, limits), limits);
    } catch (NoSuchFileException e) {
      recorder = new ProfileRecorder(limits);
    } catch (IOException | CorruptProfilesException e) {
      String reason = e instanceof IOException ? "cannot read it: " + e : e.getMessage();
      boolean tooLarge =
          e.getCause() instanceof UntrustedFileException refused
              && refused.fault() == UntrustedFileException.Fault.TOO_LARGE;
      warnings.accept(ProfileLeftovers.setAside(file, reason, tooLarge, clock));
      recorder = new ProfileRecorder(limits);
    }
    ProfileLeftovers.tidy(file, MAX_FILE_BYTES, warnings);
    return recorder;
  }

  /**
   * The profiles in {@code file}, read without changing it ({@code capability-exporter profile}).
   *
   * @throws NoSuchFileException there is no such file
   * @throws CorruptProfilesException it is not a profiles file within {@code limits}
   */
  public static Profiles read(Path file, ProfileLimits limits)
      throws IOException, CorruptProfilesException {
    byte[] json;
    try {
      json = FILE.read(file);
    } catch (UntrustedFileException e) {
      throw new CorruptProfilesException(e.problem(), e);
    }
    return ProfilesReader.read(json, limits);
  }

  /** Writes {@code profiles} to {@code file} atomically, creating its directory if need be. */
  public static void save(Path file, Profiles profiles) throws IOException {
    Path dir = file.toAbsolutePath().getParent();
    Files.createDirectories(dir);
    byte[] json = ProfilesJson.write(profiles, false, false).getBytes(StandardCharsets.UTF_8);
    if (json.length > MAX_FILE_BYTES) {
      throw new IOException(
          "the profiles are "
              + (json.length >> 20)
              + " MiB, more than the "
              + (MAX_FILE_BYTES >> 20)
              + " MiB a profiles file may hold; the previous file stays");
    }
    Path temp = ProfileLeftovers.temporary(file);
    try {
      try (FileChannel channel = FileChannel.open(temp, StandardOpenOption.WRITE)) {
        ByteBuffer buffer = ByteBuffer.wrap(json);
        while (buffer.hasRemaining()) {
          channel.write(buffer);
        }
        channel.force(true);
      }
      Files.move(temp, file, StandardCopyOption.ATOMIC_MOVE, StandardCopyOption.REPLACE_EXISTING);
    } finally {
      Files.deleteIfExists(temp);
    }
    // The rename is durable only once the directory is.
    try (FileChannel directory = FileChannel.open(dir, StandardOpenOption.READ)) {
      directory.force(true);
    }
  }
}
