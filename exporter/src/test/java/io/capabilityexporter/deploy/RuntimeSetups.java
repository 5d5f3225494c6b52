package io.capabilityexporter.deploy;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * Containers started and exec'd into by a real engine, and what the exporter then says of them:
 * only their programs' checks are theirs, the runtime's are counted apart, the same for every start
 * and every exec, and none of an exec's setup lands where the engine runs. What a container of
 * {@code true} or {@code sleep} asks itself is only noaudit probes: any unexpected series of theirs
 * is the runtime's setup counted as the workload's.
 */
final class RuntimeSetups {
  static final int CONTAINERS = 10;
  static final int EXECS = 10;

  /**
   * Checks only a runtime makes in a container start or an exec (capset, prctl, setgroups, setns's
   * SYS_CHROOT, mknod...): their counts are the same at every start and every exec. SYS_ADMIN is
   * left out of the sameness: every mmap of the runtime adds a noaudit one, as many as its Go
   * runtime's allocations take.
   */
  private static final Set<String> SETUP_ONLY =
      Set.of("SETPCAP", "SETUID", "SETGID", "MKNOD", "SYS_CHROOT", "DAC_OVERRIDE", "NET_ADMIN");

  /** How an engine runs the containers of this check. */
  interface Engine {
    /** Runs a container of {@code true} to its end; it stays listed until the engine's clean-up. */
    void runTrue(String name) throws Exception;

    /** Starts a container of {@code sleep}, which the execs go into. */
    void startSleeping(String name) throws Exception;

    void execTrue(String name) throws Exception;

    /**
     * The labels that pick out one container's series: {@code container="t0",namespace="",pod=""}.
     */
    String labels(String name);

    /** Where the engine's processes and the runtime run: the labels of that cgroup's series. */
    String engineLabels();

    /**
     * Whether the engine's own command line mounts for an exec (podman's does, as root, on the
     * host: SYS_ADMIN checks of its own, not the runtime's), so that SYS_ADMIN there may grow.
     */
    boolean cliMountsForAnExec();
  }

  /** One series: its family, its labels as written, its value. */
  record Sample(String family, Map<String, String> labels, double value) {}

  private static final Pattern LINE =
      Pattern.compile("^(capability_(?:runtime_)?checks_total)\\{([^}]*)} (\\S+)$");
  private static final Pattern LABEL = Pattern.compile("(\\w+)=\"((?:[^\"\\\\]|\\\\.)*)\"");

  static List<Sample> samples(String exposition) {
    List<Sample> samples = new ArrayList<>();
    for (String line : exposition.split("\n")) {
      Matcher m = LINE.matcher(line);
      if (m.matches()) {
        Map<String, String> labels = new HashMap<>();
        Matcher label = LABEL.matcher(m.group(2));
        while (label.find()) {
          labels.put(label.group(1), label.group(2));
        }
        samples.add(new Sample(m.group(1), labels, Double.parseDouble(m.group(3))));
      }
    }
    return samples;
  }

  /** Whether a sample's labels include every pair of {@code labels} ({@code a="1",b=""}). */
  static boolean matches(Sample sample, String labels) {
    Matcher label = LABEL.matcher(labels);
    while (label.find()) {
      if (!label.group(2).equals(sample.labels().get(label.group(1)))) {
        return false;
      }
    }
    return true;
  }

  /** A container's runtime checks by capability (allowed and denied summed). */
  static Map<String, Double> runtime(List<Sample> samples, String labels) {
    Map<String, Double> byCapability = new HashMap<>();
    for (Sample s : samples) {
      if (s.family().equals("capability_runtime_checks_total") && matches(s, labels)) {
        byCapability.merge(s.labels().get("capability"), s.value(), Double::sum);
      }
    }
    return byCapability;
  }

  /** The workload checks of a cgroup that an alert fires on: unexpected, by capability/verdict. */
  static Map<String, Double> unexpected(List<Sample> samples, String labels) {
    Map<String, Double> found = new HashMap<>();
    for (Sample s : samples) {
      if (s.family().equals("capability_checks_total")
          && matches(s, labels)
          && "false".equals(s.labels().get("expected"))) {
        found.merge(
            s.labels().get("capability") + "/" + s.labels().get("verdict"), s.value(), Double::sum);
      }
    }
    return found;
  }

  /**
   * What the shipped alerts fire on among a cgroup's checks: unexpected denies
   * (CapabilityUnexpectedDeny) and unexpected SYS_ADMIN checks (CapabilityUnexpectedSysAdmin).
   */
  static Map<String, Double> alerting(List<Sample> samples, String labels) {
    Map<String, Double> found = unexpected(samples, labels);
    found.keySet().removeIf(key -> !key.endsWith("/deny") && !key.startsWith("SYS_ADMIN/"));
    return found;
  }

  private static Map<String, Double> setupOnly(Map<String, Double> counts) {
    Map<String, Double> kept = new HashMap<>(counts);
    kept.keySet().retainAll(SETUP_ONLY);
    return kept;
  }

  private static Map<String, Double> minus(Map<String, Double> after, Map<String, Double> before) {
    Map<String, Double> delta = new HashMap<>(after);
    before.forEach((key, value) -> delta.merge(key, -value, Double::sum));
    delta.values().removeIf(value -> value == 0);
    return delta;
  }

  interface Scrape {
    String metrics() throws Exception;
  }

  /**
   * The whole check: {@value #CONTAINERS} containers of {@code true}, then {@value #EXECS} execs of
   * {@code true} into a running one. Returns a line per finding, for the test's output.
   */
  static List<String> check(Engine engine, Scrape scrape, String prefix) throws Exception {
    List<String> report = new ArrayList<>();
    List<String> started = new ArrayList<>();
    for (int i = 0; i < CONTAINERS; i++) {
      String name = prefix + "-true-" + i;
      engine.runTrue(name);
      started.add(name);
    }
    String sleeper = prefix + "-sleeping";
    engine.startSleeping(sleeper);
    List<Sample> samples = awaitRuntimeOf(scrape, engine, started, sleeper);

    Map<String, Double> first = setupOnly(runtime(samples, engine.labels(started.get(0))));
    assertThat(first).as("the runtime's setup of %s", started.get(0)).containsKey("SETPCAP");
    for (String name : started) {
      assertThat(setupOnly(runtime(samples, engine.labels(name))))
          .as("every start is set up alike: %s against %s", name, started.get(0))
          .isEqualTo(first);
      assertThat(runtime(samples, engine.labels(name)).get("SYS_ADMIN"))
          .as("%s: runtime SYS_ADMIN", name)
          .isPositive();
    }
    report.add("runtime checks per start: " + runtime(samples, engine.labels(started.get(0))));

    // The execs: one, then the rest; each adds the same runtime checks to the container's own.
    Map<String, Double> engineBefore = unexpected(samples, engine.engineLabels());
    Map<String, Double> sleeperBefore = runtime(samples, engine.labels(sleeper));
    engine.execTrue(sleeper);
    Map<String, Double> perExec =
        setupOnly(minus(runtime(samples(scrape.metrics()), engine.labels(sleeper)), sleeperBefore));
    assertThat(perExec)
        .as("an exec's setup, on the container's runtime series")
        .containsKey("SETPCAP");
    for (int i = 1; i < EXECS; i++) {
      engine.execTrue(sleeper);
    }
    String exposition = scrape.metrics();
    samples = samples(exposition);
    String self =
        String.join(
            "\n",
            exposition
                .lines()
                .filter(line -> line.startsWith("capability_exporter_") || line.contains("engine"))
                .toList());
    Map<String, Double> execs =
        setupOnly(minus(runtime(samples, engine.labels(sleeper)), sleeperBefore));
    Map<String, Double> expected = new HashMap<>();
    perExec.forEach((capability, count) -> expected.put(capability, count * EXECS));
    assertThat(execs).as("%d execs, each set up alike", EXECS).isEqualTo(expected);
    report.add("runtime checks per exec: " + perExec);

    Map<String, Double> engineGrowth =
        minus(unexpected(samples, engine.engineLabels()), engineBefore);
    report.add("unexpected checks where the engine runs, over the execs: " + engineGrowth);
    assertThat(engineGrowth.keySet())
        .as("where the engine runs: none of the execs' setup\n" + self)
        .noneMatch(key -> SETUP_ONLY.contains(key.substring(0, key.indexOf('/'))));
    if (!engine.cliMountsForAnExec()) {
      assertThat(engineGrowth.keySet())
          .as("where the engine runs: no SYS_ADMIN of the execs' setns\n" + self)
          .noneMatch(key -> key.startsWith("SYS_ADMIN/"));
    }

    for (String name : started) {
      assertThat(unexpected(samples, engine.labels(name)))
          .as("what an alert would fire on for %s", name)
          .isEmpty();
    }
    assertThat(unexpected(samples, engine.labels(sleeper))).as(sleeper).isEmpty();
    return report;
  }

  /** Scrapes until every container has runtime series (its name known), for up to 60 s. */
  private static List<Sample> awaitRuntimeOf(
      Scrape scrape, Engine engine, List<String> started, String sleeper) throws Exception {
    List<String> all = new ArrayList<>(started);
    all.add(sleeper);
    List<Sample> samples = samples(scrape.metrics());
    for (int attempt = 0; attempt < 120; attempt++) {
      List<Sample> now = samples;
      if (all.stream().allMatch(name -> runtime(now, engine.labels(name)).containsKey("SETPCAP"))) {
        return samples;
      }
      Thread.sleep(500);
      samples = samples(scrape.metrics());
    }
    List<Sample> last = samples;
    throw new AssertionError(
        "runtime series of "
            + all.stream()
                .filter(n -> !runtime(last, engine.labels(n)).containsKey("SETPCAP"))
                .toList()
            + " missing");
  }

  /** The capabilities recorded in the profiles of containers whose name is in {@code names}. */
  static Map<String, List<String>> profiled(String profilesJson, List<String> names)
      throws Exception {
    Map<String, List<String>> found = new HashMap<>();
    for (JsonNode workload : new ObjectMapper().readTree(profilesJson).path("workloads")) {
      for (JsonNode container : workload.path("containers")) {
        String name = container.path("name").asText();
        if (names.stream().anyMatch(name::contains)) {
          for (JsonNode use : container.path("capabilities")) {
            found
                .computeIfAbsent(name, n -> new ArrayList<>())
                .add(use.path("capability").asText());
          }
        }
      }
    }
    return found;
  }
}
