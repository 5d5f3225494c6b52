package io.capabilityexporter.cluster;

/** The cluster could not be asked at all: the message names the fault and the fix. */
public final class ClusterException extends Exception {
  public ClusterException(String message) {
    super(message);
  }
}
