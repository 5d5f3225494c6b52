package io.capabilityexporter.expected;

import io.capabilityexporter.domain.Check;
import io.capabilityexporter.domain.Workload;

/**
 * Decides the {@code expected} label: whether a check is one the operator declared or the kernel
 * made only to probe (docs/configuration.md, "Expected and unexpected").
 */
public interface Expectations {

  boolean expected(Workload workload, Check check);
}
