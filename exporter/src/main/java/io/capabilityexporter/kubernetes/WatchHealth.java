package io.capabilityexporter.kubernetes;

import io.fabric8.kubernetes.client.http.AsyncBody;
import io.fabric8.kubernetes.client.http.BasicBuilder;
import io.fabric8.kubernetes.client.http.HttpRequest;
import io.fabric8.kubernetes.client.http.HttpResponse;
import io.fabric8.kubernetes.client.http.Interceptor;
import java.io.IOException;
import java.nio.ByteBuffer;
import java.util.List;
import java.util.concurrent.CancellationException;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.function.Consumer;

/**
 * The watch of this node's pods, seen from the HTTP client. fabric8 re-makes a watch that broke by
 * itself, with backoff, and tells the informer neither of those failures nor, until a first event
 * arrives, that a watch is up: on a quiet node, never. So each watch request is followed here: up
 * from its response (the informer lists first) until its stream ends; a failure when it is answered
 * with an error, when its stream breaks, or when it got no answer at all (refused, timed out). The
 * exporter closing a watch, or fabric8 renewing it every few minutes, is no failure.
 *
 * <p>A request that got no answer is seen at the next one: with the client's own retries off (see
 * KubernetesConnection) its failure reaches only fabric8's watch manager, which asks again after
 * its backoff, and never while a request of its still waits.
 */
public final class WatchHealth implements Interceptor {
  private final AtomicInteger streams = new AtomicInteger();
  private final AtomicBoolean awaitingAnswer = new AtomicBoolean();
  private volatile Consumer<Throwable> failures = failure -> {};

  /** Whether a watch is up now. */
  boolean watching() {
    return streams.get() > 0;
  }

  /** Tells {@code failures} of each failed watch from now on. */
  void onFailure(Consumer<Throwable> failures) {
    this.failures = failures;
  }

  @Override
  public void before(BasicBuilder builder, HttpRequest request, RequestTags tags) {
    if (isWatch(request) && awaitingAnswer.getAndSet(true)) {
      failures.accept(new IOException("the last watch request got no answer"));
    }
  }

  @Override
  public void after(
      HttpRequest request, HttpResponse<?> response, AsyncBody.Consumer<List<ByteBuffer>> body) {
    if (!isWatch(request)) {
      return;
    }
    awaitingAnswer.set(false);
    if (!response.isSuccessful()) {
      failures.accept(new IOException("HTTP " + response.code()));
      return;
    }
    if (response.body() instanceof AsyncBody stream) {
      streams.incrementAndGet();
      stream
          .done()
          .whenComplete(
              (ended, failure) -> {
                streams.decrementAndGet();
                if (failure != null && !(failure instanceof CancellationException)) {
                  failures.accept(failure);
                }
              });
    }
  }

  private static boolean isWatch(HttpRequest request) {
    String query = request.uri().getRawQuery();
    return query != null && ("&" + query + "&").contains("&watch=true&");
  }
}
