package io.capabilityexporter.deploy;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.stream.Stream;

/**
 * deploy/manifests/: the chart rendered with its default values, one file per template, for those
 * who {@code kubectl apply -k deploy/} rather than install with Helm. Written by {@code make
 * manifests} (this class's main); a test renders them again and fails while the copy is stale.
 */
public final class PlainManifests {
  static final Path DIR = Deploy.DIR.resolve("manifests");
  static final String HEADER =
      "# Rendered from the chart deploy/helm/capability-exporter with its default values by\n"
          + "# `make manifests`: do not edit. Change the chart, or patch in an overlay of yours.\n";

  private static final Pattern SOURCE =
      Pattern.compile("^---\\n# Source: [^/\\n]+/templates/([^\\n]+)\\n", Pattern.MULTILINE);

  private PlainManifests() {}

  /** File name to content: the documents of each template, in the order Helm printed them. */
  static Map<String, String> render() {
    String rendered = Chart.template(Map.of());
    Map<String, StringBuilder> files = new TreeMap<>();
    Matcher source = SOURCE.matcher(rendered);
    List<int[]> starts = source.results().map(m -> new int[] {m.start(), m.end()}).toList();
    if (starts.isEmpty() || starts.get(0)[0] != 0) {
      throw new IllegalStateException("helm template's output does not start with a # Source line");
    }
    for (int i = 0; i < starts.size(); i++) {
      int end = i + 1 < starts.size() ? starts.get(i + 1)[0] : rendered.length();
      Matcher name = SOURCE.matcher(rendered.substring(starts.get(i)[0], starts.get(i)[1]));
      name.find();
      String document = rendered.substring(starts.get(i)[1], end).stripTrailing() + "\n";
      StringBuilder file = files.get(name.group(1));
      if (file == null) {
        file = new StringBuilder(HEADER);
        files.put(name.group(1), file);
      } else {
        file.append("---\n");
      }
      file.append(document);
    }
    Map<String, String> contents = new TreeMap<>();
    files.forEach((name, content) -> contents.put(name, content.toString()));
    return contents;
  }

  /** {@code make manifests}: rewrites deploy/manifests/ from the chart. */
  public static void main(String[] args) throws IOException {
    Map<String, String> files = render();
    Files.createDirectories(DIR);
    try (Stream<Path> old = Files.list(DIR)) {
      for (Path file : old.toList()) {
        if (!files.containsKey(file.getFileName().toString())) {
          Files.delete(file);
        }
      }
    }
    for (var file : files.entrySet()) {
      Files.writeString(DIR.resolve(file.getKey()), file.getValue());
    }
    System.out.println("wrote " + files.size() + " files to " + DIR);
  }
}
