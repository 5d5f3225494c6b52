package io.capabilityexporter.events;

import io.capabilityexporter.capabilities.Capability;
import io.capabilityexporter.domain.Origin;
import io.capabilityexporter.domain.PodLookup;
import io.capabilityexporter.selectors.LabelSelector;
import java.util.HashSet;
import java.util.Locale;
import java.util.Set;
import java.util.function.Predicate;

/**
 * Which check events a trace shows, as {@code trace}'s flags and {@code /api/v1/events}'s query say
 * it: the verdict and whose checks first, then {@link EventFilter}'s exact matches (so that its
 * {@code unique} counts only events shown).
 *
 * @param caps capability names, comma-separated ({@code SYS_ADMIN,NET_RAW}; CAP_ optional); null or
 *     empty for any
 * @param verdict {@code allow}, {@code deny}, or null for both
 * @param origin {@code workload} (what a program asked), {@code runtime} (container runtimes
 *     setting a container up or entering it, with the held checks), or {@code all}
 */
public record TraceFilter(
    String namespace,
    String pod,
    String container,
    String comm,
    String caps,
    String verdict,
    String origin,
    boolean unique) {

  /**
   * The predicate; its events pass in the order they come.
   *
   * @param prefix how a field is named in a message: {@code --} for flags, empty for a query
   * @throws IllegalArgumentException a field's value is not one it takes, named with the fix
   */
  public Predicate<CheckEvent> predicate(String prefix) {
    Predicate<CheckEvent> verdicts = verdicts(verdict, prefix);
    Predicate<CheckEvent> origins = origins(origin == null ? "workload" : origin, prefix);
    return verdicts
        .and(origins)
        .and(new EventFilter(namespace, pod, container, comm, capabilities(caps, prefix), unique));
  }

  /** Whose checks: only the workloads' own, or not only. */
  public boolean workloadsOnly() {
    return origin == null || origin.equalsIgnoreCase("workload");
  }

  private static Predicate<CheckEvent> verdicts(String verdict, String prefix) {
    if (verdict == null) {
      return event -> true;
    }
    return switch (verdict.toLowerCase(Locale.ROOT)) {
      case "allow" -> event -> !event.check().denied();
      case "deny" -> event -> event.check().denied();
      default ->
          throw new IllegalArgumentException(prefix + "verdict=" + verdict + ": use allow or deny");
    };
  }

  private static Predicate<CheckEvent> origins(String origin, String prefix) {
    return switch (origin.toLowerCase(Locale.ROOT)) {
      case "workload" -> event -> event.origin() == Origin.WORKLOAD;
      case "runtime" -> event -> event.origin() != Origin.WORKLOAD;
      case "all" -> event -> true;
      default ->
          throw new IllegalArgumentException(
              prefix + "origin=" + origin + ": use workload, runtime or all");
    };
  }

  private static Set<Integer> capabilities(String names, String prefix) {
    Set<Integer> numbers = new HashSet<>();
    for (String name : (names == null ? "" : names).split(",")) {
      if (name.isBlank()) {
        continue;
      }
      numbers.add(
          Capability.number(name.strip())
              .orElseThrow(
                  () ->
                      new IllegalArgumentException(
                          prefix
                              + "cap: unknown capability '"
                              + name
                              + "'; write names as SYS_ADMIN or CAP_SYS_ADMIN")));
    }
    return numbers;
  }

  /**
   * The events of the pods {@code selector} matches, by the labels {@code pods} know (so none
   * outside Kubernetes). After the cheap comparisons: it looks the pod up.
   */
  public static Predicate<CheckEvent> podsMatching(LabelSelector selector, PodLookup pods) {
    return event ->
        pods.pod(event.workload().namespace(), event.workload().pod())
            .map(pod -> selector.matches(pod.labels()))
            .orElse(false);
  }
}
