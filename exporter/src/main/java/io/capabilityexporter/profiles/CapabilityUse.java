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
 * @param denied checks the kernel denied
 * @param audited {@link Flag#YES} when every check carried the kernel's audit flag; {@link
 *     Flag#UNKNOWN} when some came from a hook that cannot tell, and were counted as audited
 * @param syscalls the system calls that asked, least recently seen first ({@code ""} for none)
 * @param comms the commands that asked, least recently seen first
 */
public record CapabilityUse(
    String capability,
    long allowed,
    long denied,
    Flag audited,
    Instant firstSeen,
    Instant lastSeen,
    List<String> syscalls,
    List<String> comms) {

  public CapabilityUse {
    Objects.requireNonNull(capability, "capability");
    Objects.requireNonNull(firstSeen, "firstSeen");
    Objects.requireNonNull(lastSeen, "lastSeen");
    if (allowed < 0 || denied < 0) {
      throw new IllegalArgumentException("negative count");
    }
    Objects.requireNonNull(audited, "audited");
    if (audited == Flag.NO) {
      throw new IllegalArgumentException("noaudit checks are not recorded");
    }
    syscalls = List.copyOf(syscalls);
    comms = List.copyOf(comms);
  }
}
