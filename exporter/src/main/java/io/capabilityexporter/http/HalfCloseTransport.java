package io.capabilityexporter.http;

import io.netty.bootstrap.Bootstrap;
import io.netty.bootstrap.ServerBootstrap;
import io.netty.channel.Channel;
import io.netty.channel.ChannelFactory;
import io.netty.channel.ChannelOption;
import io.netty.channel.EventLoopGroup;
import io.netty.channel.IoHandlerFactory;
import io.netty.channel.ServerChannel;
import io.netty.channel.socket.DatagramChannel;
import io.vertx.core.Vertx;
import io.vertx.core.datagram.DatagramSocketOptions;
import io.vertx.core.net.ClientOptionsBase;
import io.vertx.core.net.NetServerOptions;
import io.vertx.core.spi.transport.Transport;
import java.net.SocketAddress;
import java.util.concurrent.ThreadFactory;

/**
 * Vert.x's NIO transport, with servers that accept at most a bounded number of connections at once
 * ({@link BoundedAcceptChannel}), and where a client that half-closes its connection (sends its
 * request, then shuts down its side, as {@code nc -N} or {@code Socket.shutdownOutput} do) still
 * gets its reply. Netty closes a connection as soon as it reads the end of its input, unless
 * half-closure is allowed, and Vert.x offers no option for it: the reply, written after the scrape
 * ran on a worker thread, went to a closed channel. With half-closure the input's end is ignored,
 * the reply is written, and the connection ends as any other: after an HTTP/1.0 reply, or when its
 * next request is overdue ({@link RequestDeadline}).
 */
final class HalfCloseTransport implements io.vertx.core.transport.Transport {
  private final io.vertx.core.transport.Transport nio = io.vertx.core.transport.Transport.NIO;
  private final int acceptLimit;

  private HalfCloseTransport(int acceptLimit) {
    this.acceptLimit = acceptLimit;
  }

  /**
   * A Vert.x instance whose servers answer half-closed connections and hold at most {@code
   * acceptLimit} accepted connections at once.
   */
  static Vertx vertx(int acceptLimit) {
    return Vertx.builder().withTransport(new HalfCloseTransport(acceptLimit)).build();
  }

  @Override
  public String name() {
    return "nio-half-close";
  }

  @Override
  public boolean available() {
    return nio.available();
  }

  @Override
  public Throwable unavailabilityCause() {
    return nio.unavailabilityCause();
  }

  @Override
  public Transport implementation() {
    return new Allowing(nio.implementation(), acceptLimit);
  }

  /** Delegates everything, adding half-closure and the accept bound to servers. */
  private static final class Allowing implements Transport {
    private final Transport delegate;
    private final int acceptLimit;

    Allowing(Transport delegate, int acceptLimit) {
      this.delegate = delegate;
      this.acceptLimit = acceptLimit;
    }

    @Override
    public void configure(NetServerOptions options, boolean domainSocket, ServerBootstrap b) {
      delegate.configure(options, domainSocket, b);
      b.childOption(ChannelOption.ALLOW_HALF_CLOSURE, true);
    }

    @Override
    public boolean supportsDomainSockets() {
      return delegate.supportsDomainSockets();
    }

    @Override
    public boolean supportFileRegion() {
      return delegate.supportFileRegion();
    }

    @Override
    public boolean isAvailable() {
      return delegate.isAvailable();
    }

    @Override
    public Throwable unavailabilityCause() {
      return delegate.unavailabilityCause();
    }

    @Override
    public SocketAddress convert(io.vertx.core.net.SocketAddress address) {
      return delegate.convert(address);
    }

    @Override
    public io.vertx.core.net.SocketAddress convert(SocketAddress address) {
      return delegate.convert(address);
    }

    @Override
    public IoHandlerFactory ioHandlerFactory() {
      return delegate.ioHandlerFactory();
    }

    @Override
    public EventLoopGroup eventLoopGroup(
        int type, int threads, ThreadFactory factory, int ioRatio) {
      return delegate.eventLoopGroup(type, threads, factory, ioRatio);
    }

    @Override
    public DatagramChannel datagramChannel() {
      return delegate.datagramChannel();
    }

    @Override
    @SuppressWarnings("deprecation") // the interface's own signature
    public DatagramChannel datagramChannel(io.netty.channel.socket.InternetProtocolFamily family) {
      return delegate.datagramChannel(family);
    }

    @Override
    public ChannelFactory<? extends Channel> channelFactory(boolean domainSocket) {
      return delegate.channelFactory(domainSocket);
    }

    @Override
    public ChannelFactory<? extends ServerChannel> serverChannelFactory(boolean domainSocket) {
      return domainSocket
          ? delegate.serverChannelFactory(true)
          : () -> new BoundedAcceptChannel(acceptLimit);
    }

    @Override
    public void configure(DatagramChannel channel, DatagramSocketOptions options) {
      delegate.configure(channel, options);
    }

    @Override
    public void configure(
        ClientOptionsBase options, int connectTimeout, boolean domainSocket, Bootstrap b) {
      delegate.configure(options, connectTimeout, domainSocket, b);
    }
  }
}
