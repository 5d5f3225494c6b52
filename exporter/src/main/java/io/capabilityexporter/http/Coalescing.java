package io.capabilityexporter.http;

import io.vertx.core.Future;
import java.util.HashMap;
import java.util.Map;
import java.util.function.Supplier;

/**
 * Requests that arrive while a rendering of the same thing runs share its result instead of
 * queueing their own behind it: a burst of clients costs one rendering. The next request after it
 * finished starts a fresh one, so nobody gets a stale answer.
 */
final class Coalescing<K, V> {
  private final Map<K, Future<V>> inFlight = new HashMap<>();

  synchronized Future<V> join(K key, Supplier<Future<V>> render) {
    Future<V> running = inFlight.get(key);
    if (running == null) {
      running = render.get();
      inFlight.put(key, running);
      Future<V> started = running;
      running.onComplete(done -> forget(key, started));
    }
    return running;
  }

  private synchronized void forget(K key, Future<V> finished) {
    inFlight.remove(key, finished);
  }
}
