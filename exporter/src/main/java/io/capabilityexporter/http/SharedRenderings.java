package io.capabilityexporter.http;

import io.netty.buffer.ByteBuf;
import io.vertx.core.Future;
import java.util.HashMap;
import java.util.Map;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.function.Supplier;

/**
 * Requests that arrive while a rendering of the same thing runs share it instead of queueing their
 * own behind it: a burst of clients costs one rendering. The next request after it finished starts
 * a fresh one, so nobody gets a stale answer. Bodies are off the heap ({@link OffHeapBody}), sent
 * to every client that shares them, and freed as soon as the last has been sent its copy.
 */
final class SharedRenderings<K> {
  /** A rendered body and its Content-Type (and Content-Encoding, or null). */
  record Rendered(String contentType, String contentEncoding, ByteBuf body) {}

  /** One rendering and the responses that share it. */
  static final class Rendering {
    final Future<Rendered> result;

    /** One for as long as requests may still join it, and one per response that sends it. */
    private final AtomicInteger users = new AtomicInteger(1);

    private Rendering(Future<Rendered> result) {
      this.result = result;
    }

    /** A response is done with it (sent, or its connection gone). */
    void release() {
      if (users.decrementAndGet() == 0 && result.succeeded()) {
        result.result().body().release();
      }
    }
  }

  private final Map<K, Rendering> inFlight = new HashMap<>();

  /** The rendering of {@code key} in progress, or a new one; the caller releases it when done. */
  synchronized Rendering join(K key, Supplier<Future<Rendered>> render) {
    Rendering joined = inFlight.get(key);
    if (joined == null) {
      Rendering started = new Rendering(render.get());
      inFlight.put(key, started);
      started.users.incrementAndGet();
      started.result.onComplete(done -> finished(key, started));
      return started;
    }
    joined.users.incrementAndGet();
    return joined;
  }

  /** No request joins a finished rendering: the next one renders afresh. */
  private synchronized void finished(K key, Rendering done) {
    inFlight.remove(key, done);
    done.release();
  }
}
