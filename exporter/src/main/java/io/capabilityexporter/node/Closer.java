package io.capabilityexporter.node;

import java.util.ArrayDeque;
import java.util.Deque;

/**
 * What start-up opened, closed in reverse order: at stop, and when start-up fails half-way, so
 * nothing it started keeps running. Every close runs even when an earlier one throws.
 */
final class Closer implements AutoCloseable {
  /** A close without checked exceptions, as everything the exporter opens has. */
  interface Resource {
    void close();
  }

  private final Deque<Resource> opened = new ArrayDeque<>();

  /** Registers {@code resource}, to be closed before everything registered earlier. */
  void add(Resource resource) {
    opened.push(resource);
  }

  /** Closes after {@code failure}; what closing throws is added to it, suppressed. */
  void closeAfter(Exception failure) {
    try {
      close();
    } catch (RuntimeException e) {
      failure.addSuppressed(e);
    }
  }

  @Override
  public void close() {
    RuntimeException first = null;
    while (!opened.isEmpty()) {
      try {
        opened.pop().close();
      } catch (RuntimeException e) {
        if (first == null) {
          first = e;
        } else {
          first.addSuppressed(e);
        }
      }
    }
    if (first != null) {
      throw first;
    }
  }
}
