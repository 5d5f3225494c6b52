package io.capabilityexporter.files;

import java.lang.System.Logger.Level;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.function.Function;
import java.util.function.Supplier;

/**
 * A configuration file's value in force, re-read when the file or one it names changes
 * (modification time, size, inode; polled) or when asked ({@link #reload}, for SIGHUP). A file that
 * does not load, or whose new value the loader refuses, leaves the previous value in force, as
 * Prometheus and Alertmanager do, and says so in the log and in {@link ReloadMetrics}. The policy
 * file and the web config are both this.
 *
 * @param <T> the loaded value
 */
public final class ReloadedFile<T> implements Supplier<T>, AutoCloseable {
  /**
   * Reads the file into a value, refusing it (with the reason) when it cannot replace {@code
   * running}.
   */
  @FunctionalInterface
  public interface Loader<T> {
    T load(Path file, T running) throws Exception;
  }

  /**
   * @param what what the file holds, as a message names it ({@code the policy})
   * @param files the files a value was read from: the file and those it names
   * @param describe what a person checks after a reload ({@code : 3 rules})
   * @param log where reloads are told: the owner's logger, whose name a reader knows
   */
  public record Kind<T>(
      String what,
      Function<T, List<Path>> files,
      Function<T, String> describe,
      System.Logger log) {}

  private final Path file;
  private final Kind<T> kind;
  private final Loader<T> loader;
  private final ReloadMetrics reloads;
  private FilePoller poller;
  private volatile T value;
  private List<FileStamp> stamps; // guarded by this

  private ReloadedFile(
      Path file, T initial, Kind<T> kind, Loader<T> loader, ReloadMetrics reloads) {
    this.file = file;
    this.value = initial;
    this.kind = kind;
    this.loader = loader;
    this.reloads = reloads;
    this.stamps = stamps(kind.files().apply(initial));
  }

  /** Watches {@code file}, loaded already as {@code initial}, every {@code pollInterval}. */
  public static <T> ReloadedFile<T> watch(
      Path file,
      T initial,
      Kind<T> kind,
      Loader<T> loader,
      ReloadMetrics reloads,
      Duration pollInterval,
      String thread) {
    ReloadedFile<T> watched = new ReloadedFile<>(file, initial, kind, loader, reloads);
    watched.poller =
        FilePoller.every(pollInterval, thread, file + ": reloading " + kind.what(), watched::poll);
    return watched;
  }

  @Override
  public T get() {
    return value;
  }

  /** Re-reads the file; on failure the value in force stays. Whether it loaded. */
  public synchronized boolean reload() {
    // Stamped before reading: a change while reading is seen by the next poll, not lost.
    List<FileStamp> before = stamps(kind.files().apply(value));
    stamps = before;
    try {
      T loaded = loader.load(file, value);
      stamps = stamps(kind.files().apply(loaded));
      value = loaded;
      reloads.succeeded();
      kind.log().log(Level.INFO, file + ": loaded" + kind.describe().apply(loaded));
      return true;
    } catch (Exception e) {
      stamps = before;
      reloads.failed();
      kind.log().log(
          Level.ERROR, e.getMessage() + "; the previous " + kind.what() + " stays in force");
      return false;
    }
  }

  /** Reloads when a file changed; a file that stays broken is reported once. */
  private void poll() {
    boolean changed;
    synchronized (this) {
      changed = !stamps(kind.files().apply(value)).equals(stamps);
    }
    if (changed) {
      reload();
    }
  }

  private static List<FileStamp> stamps(List<Path> files) {
    return files.stream().map(FileStamp::of).toList();
  }

  /** Stops polling. */
  @Override
  public void close() {
    poller.close();
  }
}
