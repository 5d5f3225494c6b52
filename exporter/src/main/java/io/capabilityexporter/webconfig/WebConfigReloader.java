package io.capabilityexporter.webconfig;

import io.capabilityexporter.files.ReloadMetrics;
import io.capabilityexporter.files.ReloadedFile;
import io.micrometer.core.instrument.MeterRegistry;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Objects;
import java.util.Optional;
import java.util.function.Supplier;

/**
 * The web config in force, re-read when it or a file it names changes (modification time, size,
 * inode; looked at every second, so a renewed certificate or a Secret's update is served within
 * one). New users and headers apply to the next request, new TLS material to the next handshake. A
 * file that does not load, or a change that needs a restart, leaves the previous config in force,
 * is logged, and shows in the same metrics as the policy file's:
 *
 * <pre>
 * capability_exporter_web_config_last_reload_successful 0.0
 * capability_exporter_web_config_last_reload_success_timestamp_seconds 1.7954643E9
 * capability_exporter_web_config_reloads_total{result="failure"} 1.0
 * </pre>
 */
public final class WebConfigReloader implements Supplier<WebConfig>, AutoCloseable {
  public static final Duration DEFAULT_POLL_INTERVAL = Duration.ofSeconds(1);

  /** Puts new TLS material into service; true once it is. */
  @FunctionalInterface
  public interface TlsUpdate {
    boolean apply(WebConfig config) throws Exception;
  }

  private static final ReloadedFile.Kind<WebConfig> WEB_CONFIG =
      new ReloadedFile.Kind<>(
          "web config",
          WebConfig::files,
          WebConfigReloader::describe,
          System.getLogger(WebConfigReloader.class.getName()));

  private final ReloadedFile<WebConfig> file;

  private WebConfigReloader(ReloadedFile<WebConfig> file) {
    this.file = file;
  }

  /**
   * Watches {@code file}, loaded already as {@code initial} (at start-up, where a bad file is exit
   * 2), applying TLS changes through {@code tlsUpdate}.
   */
  public static WebConfigReloader start(
      Path file,
      WebConfig initial,
      TlsUpdate tlsUpdate,
      MeterRegistry registry,
      Duration pollInterval) {
    return new WebConfigReloader(
        ReloadedFile.watch(
            file,
            initial,
            WEB_CONFIG,
            (path, running) -> load(path, running, tlsUpdate),
            new ReloadMetrics(
                registry, "capability.exporter.web.config", "the web config", "--web.config.file"),
            pollInterval,
            "web-config-reload"));
  }

  @Override
  public WebConfig get() {
    return file.get();
  }

  /** Re-reads the file; on failure the config in force stays. Whether it loaded. */
  public boolean reload() {
    return file.reload();
  }

  /** The file's new config, once what it changes is in service; refused when it needs a restart. */
  private static WebConfig load(Path file, WebConfig running, TlsUpdate tlsUpdate)
      throws Exception {
    WebConfig loaded = WebConfigFile.load(file);
    String restart = needsRestart(running, loaded);
    if (restart != null) {
      throw new WebConfigException(file + ": " + restart + " changes only at a restart");
    }
    if (loaded.tls().isPresent() && !tlsUpdate.apply(loaded)) {
      throw new WebConfigException(file + ": the new TLS material was not taken into service");
    }
    return loaded;
  }

  /** What differs that Vert.x cannot change on a listening server; null when nothing. */
  private static String needsRestart(WebConfig running, WebConfig loaded) {
    if (running.tls().isPresent() != loaded.tls().isPresent()) {
      return "turning TLS on or off";
    }
    if (running.http2() != loaded.http2()) {
      return "http_server_config.http2";
    }
    if (!Objects.equals(namedGroups(running), namedGroups(loaded))) {
      return "tls_server_config.curve_preferences";
    }
    return null;
  }

  private static Optional<List<String>> namedGroups(WebConfig config) {
    return config.tls().map(TlsConfig::namedGroups);
  }

  /** ", TLS, 2 users": what a person checks after changing the file. */
  public static String describe(WebConfig config) {
    return (config.tls().isPresent() ? ": TLS" : ": no TLS")
        + (config.tls().map(t -> ", client auth " + t.clientAuth()).orElse(""))
        + (config.users().isEmpty()
            ? ", no basic auth"
            : ", basic auth for "
                + config.users().size()
                + (config.users().size() == 1 ? " user" : " users"));
  }

  @Override
  public void close() {
    file.close();
  }
}
