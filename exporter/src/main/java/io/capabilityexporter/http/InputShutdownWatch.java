package io.capabilityexporter.http;

import io.netty.channel.ChannelHandlerContext;
import io.netty.channel.ChannelInboundHandlerAdapter;
import io.netty.channel.socket.ChannelInputShutdownEvent;
import io.vertx.core.http.HttpConnection;
import io.vertx.core.net.impl.ConnectionBase;

/**
 * Tells when a client has shut down its side of a connection. With half-closure allowed ({@link
 * HalfCloseTransport}) Netty no longer closes such a connection, and Vert.x ignores the event: the
 * connection would wait for the request timeout with nothing more to come, so {@link
 * ConnectionGuard} closes it as soon as it is not answering a request. Vert.x has no public way to
 * reach a connection's channel; its ConnectionBase, which every HTTP connection is, does.
 */
final class InputShutdownWatch extends ChannelInboundHandlerAdapter {
  private final Runnable onShutdown;

  private InputShutdownWatch(Runnable onShutdown) {
    this.onShutdown = onShutdown;
  }

  /** Calls {@code onShutdown} on the connection's event loop when the client shuts its side. */
  static void watch(HttpConnection connection, Runnable onShutdown) {
    if (connection instanceof ConnectionBase base) {
      base.channel().pipeline().addFirst(new InputShutdownWatch(onShutdown));
    }
  }

  @Override
  public void userEventTriggered(ChannelHandlerContext ctx, Object event) throws Exception {
    if (event instanceof ChannelInputShutdownEvent) {
      onShutdown.run();
    }
    super.userEventTriggered(ctx, event);
  }
}
