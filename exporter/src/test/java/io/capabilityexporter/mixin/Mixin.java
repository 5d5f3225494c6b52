package io.capabilityexporter.mixin;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.capabilityexporter.testing.Command;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.yaml.snakeyaml.Yaml;

/** mixin/, rendered by mixin/render.sh with Debian's jsonnet, and what a render holds. */
final class Mixin {
  static final Path ROOT = Path.of("..").toAbsolutePath().normalize();

  /** A metric of the exporter's, or up, with its braces if it has any. */
  private static final Pattern SELECTOR =
      Pattern.compile("(?<![\\w\"])(up|capability_[a-z_]+)(?:\\{([^}]*)})?");

  /** A series selector of a query: the metric and what its braces hold ("" without braces). */
  record Selector(String metric, String matchers) {}

  private Mixin() {}

  /**
   * mixin/render.sh OUT [MIXIN]: OUT/alerts/*.rules.yml and OUT/grafana/*.json.
   *
   * @param mixin a jsonnet file whose value is the mixin, or null for mixin/mixin.libsonnet
   */
  static void render(Path out, Path mixin) throws IOException, InterruptedException {
    // Asked first, so that a missing jsonnet fails with how to get it, not with a script's error.
    Command.run(
        ROOT,
        Duration.ofMinutes(1),
        "`make test` installs Debian's jsonnet (apt-get install jsonnet)",
        List.of("jsonnet", "--version"));
    List<String> command =
        new ArrayList<>(
            List.of("bash", ROOT.resolve("mixin/render.sh").toString(), out.toString()));
    if (mixin != null) {
      command.add(mixin.toString());
    }
    Command.Result result =
        Command.run(ROOT, Duration.ofMinutes(2), "bash comes with Debian", command);
    if (result.status() != 0) {
      throw new AssertionError(
          String.join(" ", command) + " exited " + result.status() + ":\n" + result.output());
    }
  }

  /** The rule files and dashboards under root, as paths relative to it, sorted. */
  static List<String> files(Path root) throws IOException {
    List<String> files = new ArrayList<>();
    list(root, "alerts", "*.rules.yml", files);
    list(root, "grafana", "*.json", files);
    return files.stream().sorted().toList();
  }

  private static void list(Path root, String dir, String glob, List<String> files)
      throws IOException {
    try (var stream = Files.newDirectoryStream(root.resolve(dir), glob)) {
      stream.forEach(file -> files.add(root.relativize(file).toString()));
    }
  }

  /** Every alerting rule under root/alerts/, by name. */
  @SuppressWarnings("unchecked")
  static Map<String, Map<String, Object>> alerts(Path root) throws IOException {
    Map<String, Map<String, Object>> alerts = new LinkedHashMap<>();
    for (String file : files(root)) {
      if (!file.startsWith("alerts/")) {
        continue;
      }
      Map<String, Object> rules = new Yaml().load(Files.readString(root.resolve(file)));
      for (Map<String, Object> group : (List<Map<String, Object>>) rules.get("groups")) {
        for (Map<String, Object> rule : (List<Map<String, Object>>) group.get("rules")) {
          alerts.put((String) rule.get("alert"), rule);
        }
      }
    }
    return alerts;
  }

  /** The PromQL of every dashboard under root/grafana/: its panels' exprs and variables'. */
  static Map<String, List<String>> dashboardQueries(Path root) throws IOException {
    Map<String, List<String>> queries = new LinkedHashMap<>();
    for (String file : files(root)) {
      if (file.startsWith("grafana/")) {
        List<String> found = new ArrayList<>();
        collect(new ObjectMapper().readTree(root.resolve(file).toFile()), found);
        queries.put(Path.of(file).getFileName().toString(), found);
      }
    }
    return queries;
  }

  /** Panels' exprs and query variables' label_values(...) queries, wherever they nest. */
  private static void collect(JsonNode node, List<String> found) {
    for (Map.Entry<String, JsonNode> field : node.properties()) {
      String text = field.getValue().isTextual() ? field.getValue().asText() : null;
      if (text != null
          && (field.getKey().equals("expr")
              || field.getKey().equals("query") && text.startsWith("label_values("))) {
        found.add(text);
      }
    }
    node.forEach(child -> collect(child, found));
  }

  /** Every series selector of a query. */
  static List<Selector> selectors(String query) {
    List<Selector> selectors = new ArrayList<>();
    Matcher m = SELECTOR.matcher(query);
    while (m.find()) {
      selectors.add(new Selector(m.group(1), m.group(2) == null ? "" : m.group(2)));
    }
    return selectors;
  }
}
