package io.capabilityexporter.http;

import static org.assertj.core.api.Assertions.assertThat;

import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/** HTTP/2 without TLS (h2c) is not spoken: neither with prior knowledge nor by Upgrade. */
class CleartextHttp2Test {
  /** The client connection preface (RFC 9113, 3.4) and an empty SETTINGS frame. */
  private static final String PREFACE = "PRI * HTTP/2.0\r\n\r\nSM\r\n\r\n" + "\0\0\0\4\0\0\0\0\0";

  private TestServer server;

  @BeforeEach
  void start() throws Exception {
    server = new TestServer(HttpLimits.defaults(), null);
  }

  @AfterEach
  void stop() throws Exception {
    server.close();
  }

  @Test
  void prior_knowledge_gets_no_http2_settings_frame() throws Exception {
    try (RawConnection client = new RawConnection(server.port)) {
      client.send(PREFACE);
      String reply = client.readToEnd(10_000);
      // An HTTP/2 server answers with its binary SETTINGS frame (3 bytes of length, then type 4);
      // the HTTP/1 parser answers the preface's request line with a text error.
      assertThat(reply).matches("(?s)HTTP/\\d\\.\\d [45]\\d\\d .*");
    }
  }

  @Test
  void an_upgrade_to_h2c_is_answered_in_http_1_1() throws Exception {
    try (RawConnection client = new RawConnection(server.port)) {
      client.send(
          "GET /metrics HTTP/1.1\r\nHost: test\r\nConnection: Upgrade, HTTP2-Settings\r\n"
              + "Upgrade: h2c\r\nHTTP2-Settings: AAMAAABkAARAAAAAAAIAAAAA\r\n\r\n");
      String reply = client.readUntil(TestServer.BODY, 10_000);
      assertThat(reply)
          .startsWith("HTTP/1.1 200 OK")
          .doesNotContain("101")
          .endsWith(TestServer.BODY);
    }
  }
}
