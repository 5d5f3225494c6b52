package io.capabilityexporter.probe;

/** One row of the counts: {@code total} checks so far with these properties. */
public record Count(CountKey key, long total) {}
