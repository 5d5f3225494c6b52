package io.capabilityexporter.profiles;

import io.capabilityexporter.domain.ContainerGrants;
import io.capabilityexporter.domain.Flag;
import java.time.Duration;
import java.time.Instant;
import java.time.temporal.ChronoUnit;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;

/**
 * Profiles for people:
 *
 * <pre>
 * shop Deployment/cart, seen 2025-06-01T12:34:56Z to 2025-06-01T12:40:00Z
 *   container cart, image registry.example/shop/cart:1.4.2, granted NET_ADMIN
 *     CAPABILITY  ALLOWED  DENIED  AUDITED  FIRST SEEN            LAST SEEN             SYSCALLS     COMMANDS
 *     SYS_CHROOT        0      12  yes      2025-06-01T12:34:56Z  2025-06-01T12:35:00Z  chroot       chroot
 *     recommended: capabilities: {drop: [ALL], add: [SYS_CHROOT]}
 *     denied SYS_CHROOT: add it, or fix the program
 *     granted but never used NET_ADMIN: drop it
 *     Pod Security Standards: baseline yes; restricted no (SYS_CHROOT not allowed)
 * </pre>
 */
final class ProfileText {
  private static final List<String> HEADER =
      List.of(
          "CAPABILITY",
          "ALLOWED",
          "DENIED",
          "AUDITED",
          "FIRST SEEN",
          "LAST SEEN",
          "SYSCALLS",
          "COMMANDS");

  private ProfileText() {}

  /**
   * How complete the recording is: {@code 2 starts, 1 stop, 3 execs; checks over 4m12s; began
   * before the exporter; cut short}.
   */
  static String seen(ContainerProfile container) {
    Lifecycle life = container.lifecycle();
    Duration span = Duration.between(container.firstSeen(), container.lastSeen());
    span = span.truncatedTo(span.toSeconds() > 0 ? ChronoUnit.SECONDS : ChronoUnit.MILLIS);
    StringBuilder seen =
        new StringBuilder()
            .append(plural(life.starts(), "start"))
            .append(", ")
            .append(plural(life.stops(), "stop"))
            .append(", ")
            .append(plural(life.execs(), "exec"))
            .append("; checks over ")
            .append(span.toString().substring(2).toLowerCase(Locale.ROOT));
    if (life.beforeExporter()) {
      seen.append("; began before the exporter (its start is missing)");
    }
    if (life.starts() > 0 && life.stops() == 0) {
      seen.append("; never seen to stop (what it asks at shutdown is missing)");
    }
    if (container.cutShort()) {
      seen.append("; cut short by a deny");
    }
    return seen.toString();
  }

  private static String plural(long count, String noun) {
    return count + " " + noun + (count == 1 ? "" : "s");
  }

  static String render(Profiles profiles) {
    StringBuilder out = new StringBuilder();
    if (profiles.evictions() > 0) {
      out.append(profiles.evictions())
          .append(profiles.evictions() == 1 ? " workload" : " workloads")
          .append(" let go to stay within --profiles.max-workloads; the last: ")
          .append(
              String.join(
                  ", ", profiles.evicted().stream().map(e -> printable(e.title())).toList()))
          .append("\n\n");
    }
    for (WorkloadProfile workload : profiles.workloads()) {
      if (out.length() > 0) {
        out.append('\n');
      }
      out.append(printable(workload.title()))
          .append(", seen ")
          .append(time(workload.firstSeen()))
          .append(" to ")
          .append(time(workload.lastSeen()))
          .append('\n');
      for (ContainerProfile container : workload.containers()) {
        container(out, workload, container);
      }
    }
    return out.toString();
  }

  private static void container(
      StringBuilder out, WorkloadProfile workload, ContainerProfile container) {
    out.append("  container ").append(printable(container.name()));
    if (!container.image().isEmpty()) {
      out.append(", image ").append(printable(container.image()));
    }
    if (workload.kubernetes()) {
      out.append(", ").append(granted(container.granted()));
    }
    out.append('\n');
    out.append("    seen: ").append(seen(container)).append('\n');
    List<List<String>> rows = new ArrayList<>();
    rows.add(HEADER);
    for (CapabilityUse use : container.capabilities()) {
      rows.add(
          List.of(
              use.capability(),
              Long.toString(use.allowed()),
              Long.toString(use.denied()),
              use.audited() == Flag.UNKNOWN ? "unknown" : "yes",
              time(use.firstSeen()),
              time(use.lastSeen()),
              names(use.syscalls()),
              names(use.comms())));
    }
    table(out, rows);
    Recommendation recommendation = Recommendation.of(container);
    out.append("    recommended: ");
    if (recommendation.privileged()) {
      out.append("privileged: false, ");
    }
    out.append("capabilities: {drop: [ALL], add: [")
        .append(String.join(", ", recommendation.add()))
        .append("]}\n");
    if (!recommendation.denied().isEmpty()) {
      out.append("    cut short: denied ")
          .append(String.join(", ", recommendation.denied()))
          .append(" right before the process exited: added; record again with ")
          .append(recommendation.denied().size() == 1 ? "it" : "them")
          .append(", what comes after may need more\n");
    }
    if (!recommendation.coped().isEmpty()) {
      out.append("    denied ")
          .append(String.join(", ", recommendation.coped()))
          .append(", and the program went on without: not added; grant ")
          .append(recommendation.coped().size() == 1 ? "it" : "one")
          .append(" only if a feature you need is missing\n");
    }
    if (!recommendation.byDesign().isEmpty()) {
      out.append("    denied by design ")
          .append(String.join(", ", recommendation.byDesign()))
          .append(": the kernel's fallback to an alternative it allowed, or a check that root")
          .append(" cannot come back: nothing to do\n");
    }
    if (!recommendation.unusedGrants().isEmpty()) {
      out.append("    granted but never used ")
          .append(String.join(", ", recommendation.unusedGrants()))
          .append(": drop ")
          .append(recommendation.unusedGrants().size() == 1 ? "it" : "them")
          .append('\n');
    }
    if (recommendation.privileged()) {
      out.append("    privileged: true grants every capability: it needs only those above\n");
    }
    if (workload.kubernetes()) {
      out.append("    Pod Security Standards: ").append(verdicts(recommendation)).append('\n');
    }
  }

  private static String granted(ContainerGrants granted) {
    if (granted == null) {
      return "grants unknown (pod spec not seen)";
    }
    if (granted.privileged()) {
      return "privileged";
    }
    return granted.added().isEmpty()
        ? "granted nothing"
        : "granted " + printable(String.join(", ", granted.added().stream().sorted().toList()));
  }

  /** {@code baseline no (SYS_NICE not allowed); restricted no (SYS_NICE not allowed)}. */
  static String verdicts(Recommendation recommendation) {
    return "baseline "
        + verdict(recommendation.baseline())
        + "; restricted "
        + verdict(recommendation.restricted());
  }

  private static String verdict(PodSecurity.Verdict verdict) {
    return verdict.allowed()
        ? "yes"
        : "no (" + String.join(", ", verdict.offending()) + " not allowed)";
  }

  private static void table(StringBuilder out, List<List<String>> rows) {
    int[] widths = new int[HEADER.size()];
    for (List<String> row : rows) {
      for (int i = 0; i < row.size(); i++) {
        widths[i] = Math.max(widths[i], printable(row.get(i)).length());
      }
    }
    for (List<String> row : rows) {
      StringBuilder line = new StringBuilder("    ");
      for (int i = 0; i < row.size(); i++) {
        boolean number = i == 1 || i == 2;
        String cell = printable(row.get(i));
        String pad = " ".repeat(widths[i] - cell.length());
        line.append(number ? pad + cell : cell + pad).append("  ");
      }
      out.append(line.toString().stripTrailing()).append('\n');
    }
  }

  /**
   * Names come from processes ({@code comm}) and from a file on a host path: a control character
   * must not reach the terminal, nor end a YAML comment.
   */
  static String printable(String text) {
    StringBuilder out = new StringBuilder(text.length());
    text.codePoints()
        .forEach(c -> out.appendCodePoint(Character.isISOControl(c) || c == 0x2028 ? '?' : c));
    return out.toString();
  }

  private static String names(List<String> names) {
    List<String> shown = names.stream().map(name -> name.isEmpty() ? "-" : name).toList();
    return shown.isEmpty() ? "-" : String.join(",", shown);
  }

  private static String time(Instant instant) {
    return instant.truncatedTo(ChronoUnit.SECONDS).toString();
  }
}
