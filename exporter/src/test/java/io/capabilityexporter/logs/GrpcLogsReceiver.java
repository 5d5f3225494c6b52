package io.capabilityexporter.logs;

import io.grpc.Server;
import io.grpc.netty.shaded.io.grpc.netty.NettyServerBuilder;
import io.grpc.stub.StreamObserver;
import io.opentelemetry.proto.collector.logs.v1.ExportLogsServiceRequest;
import io.opentelemetry.proto.collector.logs.v1.ExportLogsServiceResponse;
import io.opentelemetry.proto.collector.logs.v1.LogsServiceGrpc;
import java.io.IOException;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.util.concurrent.TimeUnit;

/** OTLP/gRPC: a grpc-java server implementing {@code LogsService/Export}. */
final class GrpcLogsReceiver extends LogsReceiver {
  private final Server server;

  private GrpcLogsReceiver(int port) throws IOException {
    this.server =
        NettyServerBuilder.forAddress(new InetSocketAddress(InetAddress.getLoopbackAddress(), port))
            .addService(
                new LogsServiceGrpc.LogsServiceImplBase() {
                  @Override
                  public void export(
                      ExportLogsServiceRequest request,
                      StreamObserver<ExportLogsServiceResponse> response) {
                    accept(request);
                    response.onNext(ExportLogsServiceResponse.getDefaultInstance());
                    response.onCompleted();
                  }
                })
            .build()
            .start();
  }

  /** On 127.0.0.1:{@code port}; 0 for any free port. */
  static GrpcLogsReceiver start(int port) throws IOException {
    return new GrpcLogsReceiver(port);
  }

  @Override
  String endpoint() {
    return "http://127.0.0.1:" + server.getPort();
  }

  @Override
  public void close() {
    server.shutdownNow();
    try {
      server.awaitTermination(5, TimeUnit.SECONDS);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
    }
  }
}
