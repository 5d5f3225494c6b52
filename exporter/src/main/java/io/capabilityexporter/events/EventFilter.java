package io.capabilityexporter.events;

import java.util.HashSet;
import java.util.Set;
import java.util.function.Predicate;

/**
 * Which events {@code trace} shows: exact matches on namespace, pod, container and comm and a set
 * of capabilities (each absent means any), and with {@code unique} only the first of each
 * (namespace, pod, container, capability, verdict). The verdict is the caller's filter, applied
 * before this one so that {@code unique} counts only events shown.
 */
public final class EventFilter implements Predicate<CheckEvent> {
  private final String namespace;
  private final String pod;
  private final String container;
  private final String comm;
  private final Set<Integer> capabilities;
  private final Set<String> seen;

  public EventFilter(
      String namespace,
      String pod,
      String container,
      String comm,
      Set<Integer> capabilities,
      boolean unique) {
    this.namespace = namespace;
    this.pod = pod;
    this.container = container;
    this.comm = comm;
    this.capabilities = Set.copyOf(capabilities);
    this.seen = unique ? new HashSet<>() : null;
  }

  @Override
  public synchronized boolean test(CheckEvent event) {
    if ((namespace != null && !namespace.equals(event.workload().namespace()))
        || (pod != null && !pod.equals(event.workload().pod()))
        || (container != null && !container.equals(event.workload().container()))
        || (comm != null && !comm.equals(event.comm()))
        || (!capabilities.isEmpty() && !capabilities.contains(event.check().capability()))) {
      return false;
    }
    return seen == null
        || seen.add(
            String.join(
                "\\0",
                event.workload().namespace(),
                event.workload().pod(),
                event.workload().container(),
                Integer.toString(event.check().capability()),
                Boolean.toString(event.check().denied())));
  }
}
