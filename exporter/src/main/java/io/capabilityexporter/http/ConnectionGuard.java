package io.capabilityexporter.http;

import io.vertx.core.Handler;
import io.vertx.core.Vertx;
import io.vertx.core.http.HttpConnection;
import io.vertx.core.http.HttpServerRequest;
import java.util.HashMap;
import java.util.Iterator;
import java.util.LinkedHashMap;
import java.util.Map;

/**
 * Holds at most {@link HttpLimits#maxConnections()} connections, each with a {@link
 * RequestDeadline}. An idle connection costs some kilobytes of heap; without a cap, tens of
 * thousands of them exhaust it.
 *
 * <p>When the cap is reached, the connection that has waited longest for its next request is closed
 * to make room, and only when every open connection is being answered is the new one closed
 * instead. Refusing the newcomer would let whoever holds the slots with idle connections lock
 * Prometheus out; this way a scraper's connection, which sends its request at once, gets in and is
 * answered however many idle ones an attacker keeps opening.
 */
final class ConnectionGuard implements Handler<HttpConnection> {
  private final Vertx vertx;
  private final HttpLimits limits;
  private final HttpMetrics metrics;
  private final Map<HttpConnection, RequestDeadline> open = new HashMap<>();

  /** The connections owing a request, the one waiting longest first. */
  private final LinkedHashMap<HttpConnection, RequestDeadline> owing = new LinkedHashMap<>();

  ConnectionGuard(Vertx vertx, HttpLimits limits, HttpMetrics metrics) {
    this.vertx = vertx;
    this.limits = limits;
    this.metrics = metrics;
  }

  @Override
  public synchronized void handle(HttpConnection connection) {
    if (open.size() >= limits.maxConnections() && !closeLongestWaiting()) {
      metrics.connectionClosedAtLimit();
      connection.close();
      return;
    }
    RequestDeadline deadline =
        new RequestDeadline(
            vertx, connection, limits.requestTimeout().toMillis(), metrics::requestTimedOut);
    open.put(connection, deadline);
    metrics.openConnections.set(open.size());
    connection.closeHandler(closed -> forget(connection));
    InputShutdownWatch.watch(connection, () -> inputShutdown(connection));
    deadline.start();
    owing.put(connection, deadline);
  }

  private synchronized void inputShutdown(HttpConnection connection) {
    RequestDeadline deadline = open.get(connection);
    if (deadline != null) {
      deadline.inputShutdown();
      if (deadline.done()) {
        connection.close();
      }
    }
  }

  private boolean closeLongestWaiting() {
    Iterator<RequestDeadline> oldest = owing.values().iterator();
    if (!oldest.hasNext()) {
      return false;
    }
    RequestDeadline evicted = oldest.next();
    oldest.remove();
    open.remove(evicted.connection());
    metrics.openConnections.set(open.size());
    evicted.cancel();
    metrics.connectionClosedAtLimit();
    evicted.connection().close();
    return true;
  }

  private synchronized void forget(HttpConnection connection) {
    RequestDeadline deadline = open.remove(connection);
    owing.remove(connection);
    if (deadline != null) {
      deadline.cancel();
    }
    metrics.openConnections.set(open.size());
  }

  /** Stops the request's connection's clock until its response has ended. */
  synchronized void requestArrived(HttpServerRequest request) {
    HttpConnection connection = request.connection();
    RequestDeadline deadline = open.get(connection);
    if (deadline == null) {
      return;
    }
    deadline.requestArrived();
    owing.remove(connection);
    request.response().endHandler(ended -> responseEnded(connection, deadline));
  }

  private synchronized void responseEnded(HttpConnection connection, RequestDeadline deadline) {
    if (open.containsKey(connection) && deadline.responseEnded()) {
      if (deadline.done()) {
        deadline.cancel();
        connection.close();
      } else {
        owing.put(connection, deadline);
      }
    }
  }
}
