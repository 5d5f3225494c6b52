package io.capabilityexporter.http;

import io.vertx.core.Vertx;
import io.vertx.core.http.HttpConnection;

/**
 * One connection's clock against slowloris: Vert.x has no header timeout, and its idle timeout is
 * reset by every byte, so a client that sends a header line every few seconds would hold its
 * connection for good. The clock runs while the connection owes a request (from connecting, and
 * from its last response on) and stops while a request is being answered.
 */
final class RequestDeadline {
  private final Vertx vertx;
  private final HttpConnection connection;
  private final long timeoutMillis;
  private final Runnable onExpiry;
  private int answering;
  private long timer = -1;
  private boolean inputShutdown;

  RequestDeadline(Vertx vertx, HttpConnection connection, long timeoutMillis, Runnable onExpiry) {
    this.vertx = vertx;
    this.connection = connection;
    this.timeoutMillis = timeoutMillis;
    this.onExpiry = onExpiry;
  }

  HttpConnection connection() {
    return connection;
  }

  /** The connection owes a request from now on. */
  void start() {
    cancel();
    timer =
        vertx.setTimer(
            timeoutMillis,
            id -> {
              timer = -1;
              onExpiry.run();
              connection.close();
            });
  }

  /** A complete request arrived (Vert.x calls the request handler once its headers are in). */
  void requestArrived() {
    answering++;
    cancel();
  }

  /**
   * Its response is written, or abandoned.
   *
   * @return whether the connection owes a request again: no other request is being answered
   */
  boolean responseEnded() {
    if (answering > 0 && --answering == 0) {
      start();
      return true;
    }
    return false;
  }

  /** The client shut down its side: no request will come after those it sent. */
  void inputShutdown() {
    inputShutdown = true;
  }

  /** Owing a request the client can no longer send: the connection is done. */
  boolean done() {
    return inputShutdown && answering == 0;
  }

  void cancel() {
    if (timer >= 0) {
      vertx.cancelTimer(timer);
      timer = -1;
    }
  }
}
