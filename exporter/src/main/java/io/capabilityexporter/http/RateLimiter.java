package io.capabilityexporter.http;

import io.capabilityexporter.webconfig.WebConfig;

/**
 * rate_limit, as exporter-toolkit's (Go's x/time/rate): a bucket of {@code burst} tokens, one back
 * every {@code interval}; a request without a token gets 429.
 */
final class RateLimiter {
  private final WebConfig.RateLimit limit;
  private final long intervalNanos;
  private double tokens;
  private long last;

  RateLimiter(WebConfig.RateLimit limit, long now) {
    this.limit = limit;
    this.intervalNanos = limit.interval().toNanos();
    this.tokens = limit.burst();
    this.last = now;
  }

  WebConfig.RateLimit limit() {
    return limit;
  }

  synchronized boolean allow(long now) {
    tokens = Math.min(limit.burst(), tokens + (double) (now - last) / intervalNanos);
    last = now;
    if (tokens >= 1) {
      tokens -= 1;
      return true;
    }
    return false;
  }
}
