package io.capabilityexporter.http;

import static org.assertj.core.api.Assertions.assertThat;

import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.Test;

/** Many clients pulling the profiles at once: one rendering for all, and scrapes not held up. */
class ProfilesEndpointTest {
  private static final String JSON =
      "{\"profiles\":[" + "{\"workload\":\"x\"},".repeat(10_000) + "{}]}";
  private static final String IN_FLIGHT = "capability_exporter_http_profile_requests_in_flight";

  /** Counts its renderings, each of which waits until the test lets it finish. */
  private static final class Renderings implements JsonBody {
    final AtomicInteger count = new AtomicInteger();
    final CountDownLatch release = new CountDownLatch(1);

    @Override
    public void writeTo(java.io.OutputStream out) throws java.io.IOException {
      count.incrementAndGet();
      try {
        release.await(30, TimeUnit.SECONDS);
      } catch (InterruptedException e) {
        Thread.currentThread().interrupt();
      }
      out.write(JSON.getBytes(java.nio.charset.StandardCharsets.UTF_8));
    }
  }

  private static List<CompletableFuture<HttpResponse<String>>> pull(TestServer server, int n) {
    List<CompletableFuture<HttpResponse<String>>> responses = new ArrayList<>();
    for (int i = 0; i < n; i++) {
      responses.add(
          server.http.sendAsync(
              HttpRequest.newBuilder(server.uri(MetricsServer.PROFILES_PATH)).build(),
              HttpResponse.BodyHandlers.ofString()));
    }
    return responses;
  }

  private static void awaitInFlight(TestServer server, int n) throws InterruptedException {
    for (int i = 0; i < 3_000 && server.metric(IN_FLIGHT) < n; i++) {
      Thread.sleep(10);
    }
    assertThat(server.metric(IN_FLIGHT)).isEqualTo(n);
  }

  @Test
  void fifty_concurrent_pulls_share_one_rendering_while_metrics_keeps_answering() throws Exception {
    Renderings renderings = new Renderings();
    try (TestServer server =
        new TestServer(HttpLimits.defaults().withMaxProfileClients(64), renderings)) {
      List<CompletableFuture<HttpResponse<String>>> responses = pull(server, 50);
      awaitInFlight(server, 50);
      // The rendering holds its thread; scrapes have their own.
      for (int i = 0; i < 3; i++) {
        assertThat(server.get("/metrics").body()).isEqualTo(TestServer.BODY);
      }
      renderings.release.countDown();
      String expected = JSON;
      for (CompletableFuture<HttpResponse<String>> response : responses) {
        HttpResponse<String> answered = response.get(30, TimeUnit.SECONDS);
        assertThat(answered.statusCode()).isEqualTo(200);
        assertThat(answered.body()).isEqualTo(expected);
      }
      assertThat(renderings.count.get()).as("renderings for 50 clients").isEqualTo(1);
      assertThat(server.metric(IN_FLIGHT)).isZero();
    }
  }

  @Test
  void clients_beyond_the_cap_get_503_with_retry_after_and_are_counted() throws Exception {
    Renderings renderings = new Renderings();
    try (TestServer server =
        new TestServer(HttpLimits.defaults().withMaxProfileClients(4), renderings)) {
      List<CompletableFuture<HttpResponse<String>>> served = pull(server, 4);
      awaitInFlight(server, 4);
      List<CompletableFuture<HttpResponse<String>>> refused = pull(server, 6);
      for (CompletableFuture<HttpResponse<String>> response : refused) {
        HttpResponse<String> answered = response.get(30, TimeUnit.SECONDS);
        assertThat(answered.statusCode()).isEqualTo(503);
        assertThat(answered.headers().firstValue("Retry-After")).hasValue("5");
      }
      assertThat(server.metric("capability_exporter_http_requests_rejected_total{reason=\"busy\"}"))
          .isEqualTo(6);
      renderings.release.countDown();
      for (CompletableFuture<HttpResponse<String>> response : served) {
        assertThat(response.get(30, TimeUnit.SECONDS).statusCode()).isEqualTo(200);
      }
      assertThat(renderings.count.get()).isEqualTo(1);
    }
  }
}
