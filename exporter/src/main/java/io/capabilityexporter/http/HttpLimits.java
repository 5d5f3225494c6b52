package io.capabilityexporter.http;

import java.time.Duration;

/**
 * What one client may hold of the HTTP server, so that no number of them can exhaust its memory or
 * its threads.
 *
 * @param maxConnections connections open at once; when one more arrives, the one that has waited
 *     longest for its next request is closed (the new one when every open one is being answered)
 * @param requestTimeout how long a connection may take to deliver a complete request (its headers)
 *     after connecting or after its previous response: a slowloris client holds a slot this long
 * @param idleTimeout a connection on which nothing was read or written for this long is closed: a
 *     client that stopped reading its response
 * @param maxProfileClients {@code /api/v1/profiles} responses in progress at once; more get 503
 */
public record HttpLimits(
    int maxConnections, Duration requestTimeout, Duration idleTimeout, int maxProfileClients) {

  /**
   * 256 connections: Prometheus needs one or two per exporter and the kubelet's probes one each.
   * Under a flood of 20,000 idle connections with slowloris and profile clients besides, the RSS
   * peaked at 235 MiB with 256 and up to 257 MiB with 512, over the DaemonSet's 256 MiB limit
   * (bench/http.sh, bench/RESULTS.md).
   */
  public static final int DEFAULT_MAX_CONNECTIONS = 256;

  /**
   * 10 s for a request, as Go servers commonly set ReadHeaderTimeout: Prometheus sends each request
   * in one write right after connecting or reusing a connection.
   */
  public static final Duration DEFAULT_REQUEST_TIMEOUT = Duration.ofSeconds(10);

  /**
   * 60 s without a byte either way: longer than any scrape timeout Prometheus allows by default, so
   * only a client that stopped reading is cut off.
   */
  public static final Duration DEFAULT_IDLE_TIMEOUT = Duration.ofSeconds(60);

  /**
   * Profiles are for people and scripts, not scrapers: two at a time is plenty. Each response in
   * progress may hold a body of its own (megabytes, off the heap) when renderings follow each
   * other, so this bounds their memory too.
   */
  public static final int DEFAULT_MAX_PROFILE_CLIENTS = 2;

  public HttpLimits {
    if (maxConnections < 1 || maxProfileClients < 1) {
      throw new IllegalArgumentException("limits must be positive");
    }
  }

  /**
   * Sockets accepted and not yet closed: the open connections, those being closed to make room, and
   * those still in their TLS handshake. Twice the cap, so that closing to make room never holds up
   * accepting.
   */
  public int acceptLimit() {
    return Math.max(2 * maxConnections, maxConnections + 64);
  }

  public static HttpLimits defaults() {
    return new HttpLimits(
        DEFAULT_MAX_CONNECTIONS,
        DEFAULT_REQUEST_TIMEOUT,
        DEFAULT_IDLE_TIMEOUT,
        DEFAULT_MAX_PROFILE_CLIENTS);
  }

  public HttpLimits withMaxConnections(int max) {
    return new HttpLimits(max, requestTimeout, idleTimeout, maxProfileClients);
  }

  public HttpLimits withRequestTimeout(Duration timeout) {
    return new HttpLimits(maxConnections, timeout, idleTimeout, maxProfileClients);
  }

  public HttpLimits withMaxProfileClients(int max) {
    return new HttpLimits(maxConnections, requestTimeout, idleTimeout, max);
  }
}
