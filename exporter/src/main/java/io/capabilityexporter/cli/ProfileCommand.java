package io.capabilityexporter.cli;

import io.capabilityexporter.cluster.ClusterAccess;
import io.capabilityexporter.cluster.ClusterException;
import io.capabilityexporter.cluster.ClusterProfileFormat;
import io.capabilityexporter.cluster.ClusterProfiles;
import io.capabilityexporter.probe.NativeLoading;
import io.capabilityexporter.probe.ProbeException;
import io.capabilityexporter.profiles.CorruptProfilesException;
import io.capabilityexporter.profiles.ProfileFormat;
import io.capabilityexporter.profiles.ProfileLimits;
import io.capabilityexporter.profiles.ProfileStore;
import io.capabilityexporter.profiles.Profiles;
import io.capabilityexporter.profiles.WorkloadProfile;
import io.fabric8.kubernetes.client.KubernetesClient;
import io.fabric8.kubernetes.client.KubernetesClientBuilder;
import java.io.IOException;
import java.io.PrintStream;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.util.List;
import java.util.Locale;
import java.util.function.Predicate;

/**
 * {@code capability-exporter profile}: the profiles the running exporter keeps in its profiles
 * file, and the securityContext each implies. Reads the file only; never changes it. With {@code
 * --cluster}, from a workstation: every exporter of the DaemonSet asked through the API server, and
 * their parts merged per workload (cluster/ClusterProfiles).
 */
final class ProfileCommand {
  static final Command COMMAND =
      Command.withFlags(
          "profile",
          "print recorded profiles and the securityContext each implies",
          """
          Prints what each workload's containers were seen using (audited capability checks, allowed
          and denied, with the syscalls and commands that asked) and the least-privilege
          securityContext that implies: drop ALL, add back what was used. Reads the profiles file
          that `capability-exporter run` writes while it records profiles.

          With --cluster, from any machine with a kubeconfig (KUBECONFIG, or ~/.kube/config):
          asks every exporter of the DaemonSet for its profiles over a port-forward, merges them
          per workload (counts summed, the nodes each was seen on) and prints one recommendation
          and one patch per workload; an exporter that did not answer is named, and the profiles
          are marked partial. Needs list on pods and create on pods/portforward in the exporter's
          namespace (the chart's opt-in Role: clusterAccess.create=true). Basic auth's password
          is read from CAPABILITY_EXPORTER_PASSWORD.
          """,
          ClusterFlags.with(
              Flag.value(
                      "output",
                      "FORMAT",
                      "text; json, as /api/v1/profiles serves it; or yaml, a strategic-merge patch"
                          + " per workload for `kubectl patch` (outside Kubernetes, docker run"
                          + " flags or systemd settings as comments)")
                  .withShortName("o")
                  .withDefault("text"),
              Flag.value("file", "PATH", "the profiles file")
                  .withDefault(ProfileStore.DEFAULT_FILE),
              Flag.value("namespace", "NAME", "only this Kubernetes namespace").withShortName("n"),
              Flag.value(
                  "workload",
                  "KIND/NAME",
                  "only this workload: Deployment/cart, or cart (any kind); outside Kubernetes the"
                      + " container or unit: cron.service")),
          "",
          (args, out, err) -> new ProfileCommand(out, err).run(args));

  private final PrintStream out;
  private final PrintStream err;

  ProfileCommand(PrintStream out, PrintStream err) {
    this.out = out;
    this.err = err;
  }

  int run(List<String> args) throws UsageException {
    Flags flags = Flags.parse(COMMAND, args);
    String output = flags.get("output");
    if (!List.of("text", "json", "yaml").contains(output)) {
      throw new UsageException("-o " + output + " is not an output format: use text, json or yaml");
    }
    Predicate<WorkloadProfile> shown =
        namespace(flags.get("namespace")).and(workload(flags.get("workload")));
    if (flags.has("cluster")) {
      return cluster(flags, output, shown);
    }
    Path file = Path.of(flags.get("file"));

    Profiles profiles;
    try {
      NativeLoading.requireJnaStub(); // the file is read through it
      profiles = ProfileStore.read(file, ProfileLimits.DEFAULT).filter(shown);
    } catch (ProbeException e) {
      err.println("capability-exporter: cannot read " + file + ": " + e.getMessage());
      return 1;
    } catch (NoSuchFileException e) {
      err.println(
          "capability-exporter: no profiles at "
              + file
              + ": `capability-exporter run` writes them there while it runs with profiles on"
              + " (every 30 s, and when it stops); --file=PATH reads another file");
      return 1;
    } catch (CorruptProfilesException e) {
      err.println(
          "capability-exporter: "
              + file
              + " is not a profiles file: "
              + e.getMessage()
              + "; the exporter sets such a file aside when it starts");
      return 1;
    } catch (IOException e) {
      err.println("capability-exporter: cannot read " + file + ": " + e + "; run as root?");
      return 1;
    }
    boolean filtered = flags.has("namespace") || flags.has("workload");
    if (profiles.workloads().isEmpty()) {
      err.println("capability-exporter: no profile" + (filtered ? " matches" : " recorded yet"));
    }
    out.print(
        switch (output) {
          case "json" -> ProfileFormat.json(profiles) + "\n";
          case "yaml" -> ProfileFormat.yaml(profiles);
          default -> ProfileFormat.text(profiles);
        });
    out.flush();
    return nothingMatched(filtered, profiles.workloads().isEmpty());
  }

  private int cluster(Flags flags, String output, Predicate<WorkloadProfile> shown)
      throws UsageException {
    ClusterAccess access = ClusterFlags.access(flags);
    ClusterProfiles cluster;
    try (KubernetesClient client = new KubernetesClientBuilder().build()) {
      cluster = ClusterProfiles.collect(client, access).filter(shown);
    } catch (ClusterException | RuntimeException e) {
      err.println("capability-exporter: " + ClusterFlags.whyNot(e));
      return 1;
    }
    cluster
        .missing()
        .forEach(
            (pod, why) ->
                err.println(
                    "capability-exporter: partial: no answer from " + pod.title() + ": " + why));
    boolean filtered = flags.has("namespace") || flags.has("workload");
    if (cluster.merged().workloads().isEmpty()) {
      err.println("capability-exporter: no profile" + (filtered ? " matches" : " recorded yet"));
    }
    out.print(
        switch (output) {
          case "json" -> ClusterProfileFormat.json(cluster);
          case "yaml" -> ClusterProfileFormat.yaml(cluster);
          default -> ClusterProfileFormat.text(cluster);
        });
    out.flush();
    return nothingMatched(filtered, cluster.merged().workloads().isEmpty());
  }

  /** 1 when a --namespace or --workload asked matched nothing, as grep says no match; else 0. */
  private static int nothingMatched(boolean filtered, boolean empty) {
    return filtered && empty ? 1 : 0;
  }

  private static Predicate<WorkloadProfile> namespace(String namespace) {
    return namespace == null
        ? workload -> true
        : workload -> workload.namespace().equals(namespace);
  }

  private static Predicate<WorkloadProfile> workload(String workload) throws UsageException {
    if (workload == null) {
      return any -> true;
    }
    int slash = workload.indexOf('/');
    // A bare name, or a host cgroup's path (/my-group), which starts with the slash itself.
    if (slash <= 0) {
      return profile -> profile.name().equals(workload);
    }
    String kind = workload.substring(0, slash);
    String name = workload.substring(slash + 1);
    if (kind.isEmpty() || name.isEmpty()) {
      throw new UsageException(
          "--workload=" + workload + ": write it as KIND/NAME (Deployment/cart) or NAME (cart)");
    }
    return profile ->
        profile.kind().toLowerCase(Locale.ROOT).equals(kind.toLowerCase(Locale.ROOT))
            && profile.name().equals(name);
  }
}
