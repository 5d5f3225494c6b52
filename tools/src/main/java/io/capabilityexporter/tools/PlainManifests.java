package io.capabilityexporter.tools;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Map;
import java.util.TreeMap;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.stream.Stream;

/**
 * deploy/manifests/: the chart rendered with its default values, one file per template, for those
 * who {@code kubectl apply -k deploy/} rather than install with Helm. {@code make manifests} runs
 * {@link #main}; a test of the exporter's renders them again and fails while the copy is stale.
 */
public final class PlainManifests {
  static final String HEADER =
      "# Rendered from the chart deploy/helm/capability-exporter with its default values by\n"
          + "# `make manifests`: do not edit. Change the chart, or patch in an overlay of yours.\n";

  private static final Pattern DOCUMENT = Pattern.compile("^---\\n", Pattern.MULTILINE);
  private static final Pattern SOURCE =
      Pattern.compile("# Source: [^/\\n]+/templates/([^\\n]+)\\n");

  private PlainManifests() {}

  /** Where the files go in the repository checked out at {@code repository}. */
  public static Path dir(Path repository) {
    return repository.resolve("deploy/manifests");
  }

  /** File name to content: the documents of each template, in the order Helm printed them. */
  public static Map<String, String> render(Chart chart) {
    Map<String, StringBuilder> files = new TreeMap<>();
    // helm template prints each document as "---\n# Source: CHART/templates/FILE\n...".
    for (String document : DOCUMENT.split(chart.template(Chart.RELEASE, Map.of()))) {
      if (document.isEmpty()) {
        continue;
      }
      Matcher source = SOURCE.matcher(document);
      if (!source.lookingAt()) {
        throw new IllegalStateException("a document of helm template without its # Source line");
      }
      String body = document.substring(source.end()).stripTrailing() + "\n";
      StringBuilder file = files.get(source.group(1));
      if (file == null) {
        files.put(source.group(1), new StringBuilder(HEADER).append(body));
      } else {
        file.append("---\n").append(body);
      }
    }
    Map<String, String> contents = new TreeMap<>();
    files.forEach((name, content) -> contents.put(name, content.toString()));
    return contents;
  }

  /**
   * {@code make manifests}: rewrites deploy/manifests/ from the chart, in the repository named by
   * the one argument (default: the working directory).
   */
  public static void main(String[] args) throws IOException {
    if (args.length > 1) {
      System.err.println("usage: PlainManifests [REPOSITORY]");
      System.exit(2);
    }
    Path repository = Path.of(args.length == 1 ? args[0] : ".").toAbsolutePath().normalize();
    Chart chart = new Chart(repository);
    if (!Files.isDirectory(chart.dir())) {
      System.err.println(
          "PlainManifests: "
              + chart.dir()
              + " is not a directory: give the repository's root as the argument");
      System.exit(2);
    }
    Map<String, String> files = render(chart);
    Path dir = dir(repository);
    Files.createDirectories(dir);
    try (Stream<Path> old = Files.list(dir)) {
      for (Path file : old.toList()) {
        if (!files.containsKey(file.getFileName().toString())) {
          Files.delete(file);
        }
      }
    }
    for (var file : files.entrySet()) {
      Files.writeString(dir.resolve(file.getKey()), file.getValue());
    }
    System.out.println("wrote " + files.size() + " files to " + dir);
  }
}
