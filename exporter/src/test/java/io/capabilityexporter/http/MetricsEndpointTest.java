package io.capabilityexporter.http;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.ByteArrayInputStream;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.util.zip.GZIPInputStream;
import org.junit.jupiter.api.Test;

/** The telemetry path's body: gzipped for the clients that ask for it, as Prometheus does. */
class MetricsEndpointTest {
  @Test
  void takes_gzip_when_accepted_and_not_when_refused_or_absent() {
    assertThat(MetricsEndpoint.acceptsGzip("gzip")).isTrue();
    assertThat(MetricsEndpoint.acceptsGzip("deflate, GZIP;q=0.5")).isTrue();
    assertThat(MetricsEndpoint.acceptsGzip("gzip;q=0")).isFalse();
    assertThat(MetricsEndpoint.acceptsGzip("gzip; q=0.0")).isFalse();
    assertThat(MetricsEndpoint.acceptsGzip("identity")).isFalse();
    assertThat(MetricsEndpoint.acceptsGzip("x-gzip-ish")).isFalse();
    assertThat(MetricsEndpoint.acceptsGzip(null)).isFalse();
  }

  @Test
  void a_client_that_accepts_gzip_gets_the_exposition_gzipped_and_one_that_does_not_gets_it_plain()
      throws Exception {
    try (TestServer server = new TestServer(HttpLimits.defaults(), null)) {
      HttpResponse<byte[]> gzipped =
          server.http.send(
              HttpRequest.newBuilder(server.uri("/metrics"))
                  .header("Accept-Encoding", "gzip")
                  .build(),
              HttpResponse.BodyHandlers.ofByteArray());
      assertThat(gzipped.headers().firstValue("Content-Encoding")).contains("gzip");
      try (GZIPInputStream body = new GZIPInputStream(new ByteArrayInputStream(gzipped.body()))) {
        assertThat(new String(body.readAllBytes(), StandardCharsets.UTF_8))
            .isEqualTo(TestServer.BODY);
      }

      HttpResponse<String> plain = server.get("/metrics");
      assertThat(plain.headers().firstValue("Content-Encoding")).isEmpty();
      assertThat(plain.body()).isEqualTo(TestServer.BODY);
    }
  }
}
