package io.capabilityexporter.logs;

import com.sun.net.httpserver.HttpExchange;
import com.sun.net.httpserver.HttpServer;
import io.opentelemetry.proto.collector.logs.v1.ExportLogsServiceRequest;
import io.opentelemetry.proto.collector.logs.v1.ExportLogsServiceResponse;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.zip.GZIPInputStream;

/** OTLP/HTTP with protobuf bodies: {@code POST /v1/logs}. */
final class HttpLogsReceiver extends LogsReceiver {
  private final HttpServer server;
  private final int refuseEvery;
  private final AtomicInteger requests = new AtomicInteger();

  private HttpLogsReceiver(HttpServer server, int refuseEvery) {
    this.server = server;
    this.refuseEvery = refuseEvery;
  }

  /** On 127.0.0.1:{@code port}; 0 for any free port. */
  static HttpLogsReceiver start(int port) throws IOException {
    return start(port, 0);
  }

  /**
   * A collector that answers every {@code refuseEvery}th request 400 Bad Request (a failure the
   * exporter does not retry) without taking its records; 0 never.
   */
  static HttpLogsReceiver start(int port, int refuseEvery) throws IOException {
    HttpServer server =
        HttpServer.create(new InetSocketAddress(InetAddress.getLoopbackAddress(), port), 0);
    HttpLogsReceiver receiver = new HttpLogsReceiver(server, refuseEvery);
    server.createContext("/v1/logs", receiver::handle);
    server.start();
    return receiver;
  }

  private void handle(HttpExchange exchange) throws IOException {
    try (exchange) {
      if (!exchange.getRequestMethod().equals("POST")
          || !"application/x-protobuf"
              .equals(exchange.getRequestHeaders().getFirst("Content-Type"))) {
        exchange.sendResponseHeaders(400, -1);
        return;
      }
      InputStream body = exchange.getRequestBody();
      if ("gzip".equals(exchange.getRequestHeaders().getFirst("Content-Encoding"))) {
        body = new GZIPInputStream(body);
      }
      ExportLogsServiceRequest request = ExportLogsServiceRequest.parseFrom(body.readAllBytes());
      if (refuseEvery > 0 && requests.incrementAndGet() % refuseEvery == 0) {
        exchange.sendResponseHeaders(400, -1);
        return;
      }
      accept(request);
      byte[] response = ExportLogsServiceResponse.getDefaultInstance().toByteArray();
      exchange.getResponseHeaders().set("Content-Type", "application/x-protobuf");
      exchange.sendResponseHeaders(200, response.length == 0 ? -1 : response.length);
      try (OutputStream out = exchange.getResponseBody()) {
        out.write(response);
      }
    }
  }

  @Override
  String endpoint() {
    return "http://127.0.0.1:" + server.getAddress().getPort();
  }

  @Override
  public void close() {
    server.stop(0);
  }
}
