package io.capabilityexporter.webconfig;

import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.Optional;

/**
 * A web config file ({@code --web.config.file}) in exporter-toolkit's format, as node_exporter
 * reads it, checked and with the certificates and keys it names already read.
 *
 * @param tls TLS, when {@code tls_server_config} names a certificate
 * @param http2 HTTP/2 over TLS ({@code http_server_config.http2}, default true)
 * @param headers headers added to every response ({@code http_server_config.headers})
 * @param users user name to bcrypt hash ({@code basic_auth_users}); empty: no authentication
 * @param rateLimit {@code rate_limit}, when its interval is not 0
 * @param files every file read for it (the config, certificates, keys, CAs): a change to any is a
 *     reason to read it again
 */
public record WebConfig(
    Optional<TlsConfig> tls,
    boolean http2,
    Map<String, String> headers,
    Map<String, String> users,
    Optional<RateLimit> rateLimit,
    List<Path> files) {

  /** Without {@code --web.config.file}: plain HTTP, nobody asked for credentials. */
  public static final WebConfig NONE =
      new WebConfig(Optional.empty(), true, Map.of(), Map.of(), Optional.empty(), List.of());

  public WebConfig {
    headers = Map.copyOf(headers);
    users = Map.copyOf(users);
    files = List.copyOf(files);
  }

  /** A token bucket: {@code burst} requests at once, then one every {@code interval}. */
  public record RateLimit(Duration interval, int burst) {}
}
