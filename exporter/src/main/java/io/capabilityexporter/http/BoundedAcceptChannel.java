package io.capabilityexporter.http;

import io.netty.channel.socket.nio.NioServerSocketChannel;
import io.netty.channel.socket.nio.NioSocketChannel;
import java.nio.channels.SocketChannel;
import java.util.List;
import java.util.concurrent.atomic.AtomicInteger;

/**
 * A listening socket that holds at most {@code limit} accepted connections at once, counting them
 * from accept to close, before Vert.x sees them. A flood accepted faster than the event loop sets
 * connections up and closes them would otherwise queue thousands of them on the heap (some
 * kilobytes each: 19,000 in a second and a half ran the 128 MiB heap out); at the limit the socket
 * stops accepting, the rest wait in the kernel's accept queue, and accepting resumes as soon as one
 * closes. The limit also covers connections still in their TLS handshake, which the connection cap
 * ({@link ConnectionGuard}) cannot see.
 */
final class BoundedAcceptChannel extends NioServerSocketChannel {
  private final int limit;
  private final AtomicInteger accepted = new AtomicInteger();

  BoundedAcceptChannel(int limit) {
    this.limit = limit;
  }

  @Override
  protected int doReadMessages(List<Object> buf) throws Exception {
    if (accepted.get() >= limit) {
      config().setAutoRead(false);
      return 0;
    }
    SocketChannel socket = javaChannel().accept();
    if (socket == null) {
      return 0;
    }
    NioSocketChannel child;
    try {
      child = new NioSocketChannel(this, socket);
    } catch (RuntimeException e) {
      socket.close();
      throw e;
    }
    accepted.incrementAndGet();
    child.closeFuture().addListener(closed -> released());
    buf.add(child);
    return 1;
  }

  private void released() {
    accepted.decrementAndGet();
    eventLoop()
        .execute(
            () -> {
              if (accepted.get() < limit && isOpen() && !config().isAutoRead()) {
                config().setAutoRead(true);
              }
            });
  }
}
