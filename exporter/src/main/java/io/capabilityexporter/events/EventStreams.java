package io.capabilityexporter.events;

import io.capabilityexporter.domain.PodLookup;
import io.capabilityexporter.selectors.LabelSelector;
import java.util.ArrayDeque;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.atomic.AtomicLong;
import java.util.function.Consumer;
import java.util.function.Predicate;

/**
 * Check events for the clients that stream them ({@code /api/v1/events}, {@code trace --cluster}),
 * each stream filtered here on the node and bounded: a client that reads more slowly than events
 * come loses the excess, counted and told, never the exporter's memory. At most {@link
 * #MAX_STREAMS} at once.
 */
public final class EventStreams implements Consumer<CheckEvent> {
  public static final int MAX_STREAMS = 8;

  /** Events a stream holds for its client; each is about a kilobyte with its strings. */
  public static final int QUEUE = 4096;

  private final List<Stream> streams = new CopyOnWriteArrayList<>();
  private final AtomicLong dropped = new AtomicLong();
  private final int capacity;
  private final PodLookup pods;

  /**
   * @param pods the node's pods, whose labels a stream's label selector matches
   */
  public EventStreams(PodLookup pods) {
    this(QUEUE, pods);
  }

  EventStreams(int capacity, PodLookup pods) {
    this.capacity = capacity;
    this.pods = pods;
  }

  /** The events of the pods {@code selector} matches; none outside Kubernetes. */
  public Predicate<CheckEvent> selecting(LabelSelector selector) {
    return TraceFilter.podsMatching(selector, pods);
  }

  /** One client's stream: what its filter passed, until it is closed. */
  public final class Stream implements AutoCloseable {
    private final Predicate<CheckEvent> filter;
    private final ArrayDeque<CheckEvent> queue = new ArrayDeque<>();
    private long droppedUntold;

    private Stream(Predicate<CheckEvent> filter) {
      this.filter = filter;
    }

    private void offer(CheckEvent event) {
      if (!filter.test(event)) {
        return;
      }
      synchronized (this) {
        if (queue.size() < capacity) {
          queue.addLast(event);
          return;
        }
        droppedUntold++;
      }
      dropped.incrementAndGet();
    }

    /** The next event to send; null when none waits. */
    public synchronized CheckEvent poll() {
      return queue.pollFirst();
    }

    /** Events dropped since the last call, for the client to be told. */
    public synchronized long takeDropped() {
      long count = droppedUntold;
      droppedUntold = 0;
      return count;
    }

    @Override
    public void close() {
      streams.remove(this);
    }
  }

  /** A new stream of the events {@code filter} passes; empty when {@link #MAX_STREAMS} are open. */
  public synchronized Optional<Stream> open(Predicate<CheckEvent> filter) {
    if (streams.size() >= MAX_STREAMS) {
      return Optional.empty();
    }
    Stream stream = new Stream(filter);
    streams.add(stream);
    return Optional.of(stream);
  }

  @Override
  public void accept(CheckEvent event) {
    for (Stream stream : streams) {
      stream.offer(event);
    }
  }

  public int streamsOpen() {
    return streams.size();
  }

  /** Events dropped for streams that fell behind, since start. */
  public long dropped() {
    return dropped.get();
  }
}
