package io.capabilityexporter.domain;

import java.util.Objects;

/**
 * The workload that owns a pod: {@code Deployment cart}.
 *
 * @param kind {@code Deployment}, {@code StatefulSet}, {@code DaemonSet}, {@code Job}, {@code
 *     CronJob}, {@code ReplicaSet}..., or {@code Pod} for a bare pod
 */
public record Owner(String kind, String name) {
  public Owner {
    Objects.requireNonNull(kind, "kind");
    Objects.requireNonNull(name, "name");
  }
}
