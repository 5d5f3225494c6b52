package io.capabilityexporter.http;

import io.capabilityexporter.webconfig.WebConfig;
import io.vertx.core.Future;
import io.vertx.core.WorkerExecutor;
import io.vertx.core.http.HttpServerRequest;
import java.util.function.Supplier;

/**
 * What the web config asks of every request before it is served: its headers on the response,
 * rate_limit (429) and basic_auth_users (401 with {@code WWW-Authenticate: Basic}). The Kubernetes
 * probes' paths, {@code /healthz} and {@code /readyz}, are served to anyone: the kubelet's httpGet
 * probes cannot send credentials, and they tell nothing but up and ready.
 */
final class AccessControl {
  private final Supplier<WebConfig> config;
  private final BasicAuth basicAuth;
  private final HttpMetrics metrics;
  private RateLimiter limiter;

  AccessControl(Supplier<WebConfig> config, WorkerExecutor bcryptThread, HttpMetrics metrics) {
    this.config = config;
    this.basicAuth = new BasicAuth(bcryptThread);
    this.metrics = metrics;
  }

  static boolean isProbe(String path) {
    return path.equals("/healthz") || path.equals("/readyz");
  }

  /** Completes true when the request may be served; otherwise it has been answered. */
  Future<Boolean> admit(HttpServerRequest request) {
    WebConfig web = config.get();
    web.headers().forEach(request.response()::putHeader);
    if (isProbe(request.path())) {
      return Future.succeededFuture(true);
    }
    RateLimiter rate = limiter(web);
    if (rate != null && !rate.allow(System.nanoTime())) {
      Responses.text(request, 429, "too many requests: rate_limit of the web config\n");
      return Future.succeededFuture(false);
    }
    if (web.users().isEmpty()) {
      return Future.succeededFuture(true);
    }
    return basicAuth
        .check(web.users(), request.getHeader("Authorization"))
        .map(
            verdict -> {
              switch (verdict) {
                case ALLOWED:
                  return true;
                case BUSY:
                  metrics.authBusy();
                  request.response().putHeader("Retry-After", "1");
                  Responses.text(request, 503, "busy checking passwords: retry\n");
                  return false;
                default:
                  metrics.unauthorized();
                  request.response().putHeader("WWW-Authenticate", "Basic");
                  Responses.text(request, 401, "unauthorized\n");
                  return false;
              }
            });
  }

  /** The limiter of the config in force: a new bucket when rate_limit changed. */
  private synchronized RateLimiter limiter(WebConfig web) {
    if (web.rateLimit().isEmpty()) {
      limiter = null;
    } else if (limiter == null || !limiter.limit().equals(web.rateLimit().get())) {
      limiter = new RateLimiter(web.rateLimit().get(), System.nanoTime());
    }
    return limiter;
  }
}
