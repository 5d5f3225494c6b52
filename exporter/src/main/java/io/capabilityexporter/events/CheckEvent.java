package io.capabilityexporter.events;

import io.capabilityexporter.domain.Check;
import io.capabilityexporter.domain.Flag;
import io.capabilityexporter.domain.Origin;
import io.capabilityexporter.domain.PodFacts;
import io.capabilityexporter.domain.Workload;
import java.time.Instant;
import java.util.List;
import java.util.Objects;
import java.util.Optional;

/**
 * One capability check as {@code trace} prints it and as an OTLP log record carries it; field names
 * follow Inspektor Gadget's {@code trace capabilities -o json} (docs/design.md, "Check events").
 *
 * @param timestamp wall-clock time of the first check this record stands for
 * @param node the host name, or Kubernetes node name
 * @param workload namespace, pod and container (empty namespace and pod outside Kubernetes)
 * @param pod the pod as the API server describes it; null outside Kubernetes or while the API
 *     server has not described the pod
 * @param containerId the runtime's id of the pod's container; empty where {@code pod} is null and
 *     for the pod's sandbox
 * @param cgroupId cgroup v2 id of the checking task
 * @param pid process (thread group) id
 * @param tid thread id
 * @param comm the thread's command name
 * @param syscall the system call being made, by name ({@code mount}); empty when not in one
 * @param uid the cred's uid
 * @param gid the cred's gid
 * @param check the capability, verdict, audit flag and user namespace level
 * @param origin the workload's own check, or its container runtime's (setting it up, or entering it
 *     for an exec)
 * @param insetid whether the check is for a set-id operation
 * @param targetUserNs inode number of the user namespace the capability is asked in
 * @param currentUserNs inode number of the cred's user namespace
 * @param mountNsId inode number of the task's mount namespace
 * @param effectiveCaps the cred's effective capability mask
 * @param count how many checks this record stands for (repeats folded in the kernel)
 * @param stack the kernel stack, symbolized, innermost first; empty unless asked for
 */
public record CheckEvent(
    Instant timestamp,
    String node,
    Workload workload,
    PodFacts pod,
    String containerId,
    long cgroupId,
    int pid,
    int tid,
    String comm,
    String syscall,
    long uid,
    long gid,
    Check check,
    Origin origin,
    Flag insetid,
    long targetUserNs,
    long currentUserNs,
    long mountNsId,
    long effectiveCaps,
    long count,
    List<String> stack) {

  public CheckEvent {
    Objects.requireNonNull(timestamp, "timestamp");
    Objects.requireNonNull(node, "node");
    Objects.requireNonNull(workload, "workload");
    Objects.requireNonNull(containerId, "containerId");
    Objects.requireNonNull(check, "check");
    Objects.requireNonNull(origin, "origin");
    Objects.requireNonNull(insetid, "insetid");
    Objects.requireNonNull(comm, "comm");
    Objects.requireNonNull(syscall, "syscall");
    stack = List.copyOf(stack);
  }

  /** Why the kernel denied it; null for an allowed check. */
  public DenyReason denyReason() {
    return DenyReason.of(check.denied(), check.capability(), effectiveCaps);
  }

  /** {@link Check#nestedUserNs}, judged with the pod as known now. */
  public boolean nestedUserNs() {
    return check.nestedUserNs(() -> Optional.ofNullable(pod));
  }

  /** {@code nested} or {@code container}: which user namespace the check was against. */
  public String usernsScope() {
    return nestedUserNs() ? "nested" : "container";
  }

  /** The same event, named now that its cgroup's owner is known. */
  public CheckEvent attributedTo(Workload workload, PodFacts pod, String containerId) {
    return new CheckEvent(
        timestamp,
        node,
        workload,
        pod,
        containerId,
        cgroupId,
        pid,
        tid,
        comm,
        syscall,
        uid,
        gid,
        check,
        origin,
        insetid,
        targetUserNs,
        currentUserNs,
        mountNsId,
        effectiveCaps,
        count,
        stack);
  }
}
