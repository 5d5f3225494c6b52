package io.capabilityexporter.profiles;

import io.capabilityexporter.domain.Flag;
import java.time.Instant;
import java.util.List;
import java.util.Objects;

/**
 * How a container used one capability: audited checks only (a noaudit probe, such as the SYS_ADMIN
 * check of every {@code mmap}, says nothing about what the program needs).
 *
 * @param capability as Kubernetes writes it: {@code SYS_CHROOT}
 * @param allowed checks the kernel allowed
 * @param denied checks the kernel denied, of every class below
 * @param fallback of the denied, those the kernel followed with its alternative capability, allowed
 *     (DAC_READ_SEARCH then DAC_OVERRIDE): they failed nothing
 * @param dropChecks of the denied, set*id calls to root by a task that had given root up: the
 *     program's own check that it cannot get root back
 * @param beforeExit of the denied, those the process exited right after: it was cut short
 * @param audited {@link Flag#YES} when every check carried the kernel's audit flag; {@link
 *     Flag#UNKNOWN} when some came from a hook that cannot tell, and were counted as audited
 * @param syscalls the system calls that asked, least recently seen first ({@code ""} for none)
 * @param comms the commands that asked, least recently seen first
 */
public record CapabilityUse(
    String capability,
    long allowed,
    long denied,
    long fallback,
    long dropChecks,
    long beforeExit,
    Flag audited,
    Instant firstSeen,
    Instant lastSeen,
    List<String> syscalls,
    List<String> comms) {

  public CapabilityUse {
    Objects.requireNonNull(capability, "capability");
    Objects.requireNonNull(firstSeen, "firstSeen");
    Objects.requireNonNull(lastSeen, "lastSeen");
    if (allowed < 0 || denied < 0 || fallback < 0 || dropChecks < 0 || beforeExit < 0) {
      throw new IllegalArgumentException("negative count");
    }
    if (fallback > denied || dropChecks > denied || beforeExit > denied) {
      throw new IllegalArgumentException("more denies of a class than denies");
    }
    Objects.requireNonNull(audited, "audited");
    if (audited == Flag.NO) {
      throw new IllegalArgumentException("noaudit checks are not recorded");
    }
    syscalls = List.copyOf(syscalls);
    comms = List.copyOf(comms);
  }

  /** Denies the program went on from, neither by design nor right before it exited. */
  public long coped() {
    return Math.max(0, denied - fallback - dropChecks - beforeExit);
  }
}
