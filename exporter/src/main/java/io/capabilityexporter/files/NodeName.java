package io.capabilityexporter.files;

import java.util.Map;
import java.util.Optional;

/**
 * The node this exporter runs on, read here only: {@code NODE_NAME} (in a pod, from the downward
 * API), else the kernel's host name.
 */
public final class NodeName {
  public static final String VARIABLE = "NODE_NAME";

  private NodeName() {}

  /** {@code NODE_NAME}, trimmed; empty when unset or blank. */
  public static Optional<String> fromEnvironment(Map<String, String> env) {
    return Optional.ofNullable(env.get(VARIABLE)).map(String::strip).filter(n -> !n.isEmpty());
  }

  /** What check events name their node: {@code NODE_NAME}, else the host name, else empty. */
  public static String orHostName(Map<String, String> env) {
    return fromEnvironment(env).orElseGet(() -> ProcFiles.hostName().orElse(""));
  }
}
