package io.capabilityexporter.docs;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Locale;
import java.util.Set;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;

/**
 * The README is the front door and docs/ has a page per topic: every link between the project's
 * Markdown files leads to a file that exists and, with a #fragment, to a heading it has.
 */
class DocsLinksTest {
  private static final Path ROOT = Path.of("..");
  private static final Pattern LINK = Pattern.compile("\\[[^\\]]*\\]\\(([^)\\s]+)\\)");

  @Test
  void every_relative_link_reaches_its_file_and_heading() throws IOException {
    List<String> broken = new ArrayList<>();
    for (Path file : markdownFiles()) {
      for (String target : links(file)) {
        if (target.matches("^[a-z]+:.*")) {
          continue; // https:, mailto:: not ours to check offline
        }
        int hash = target.indexOf('#');
        String path = hash < 0 ? target : target.substring(0, hash);
        Path resolved = path.isEmpty() ? file : file.getParent().resolve(path).normalize();
        if (!Files.exists(resolved)) {
          broken.add(ROOT.relativize(file) + ": " + target + " (no such file)");
        } else if (hash >= 0 && !anchors(resolved).contains(target.substring(hash + 1))) {
          broken.add(ROOT.relativize(file) + ": " + target + " (no such heading)");
        }
      }
    }
    assertThat(broken).isEmpty();
  }

  @Test
  void the_readme_is_a_front_door_to_a_page_per_topic() throws IOException {
    List<String> readme = Files.readAllLines(ROOT.resolve("README.md"));
    assertThat(readme.size()).as("README lines").isLessThanOrEqualTo(250);
    Set<String> linked = new HashSet<>(links(ROOT.resolve("README.md")));
    try (Stream<Path> pages = Files.list(ROOT.resolve("docs"))) {
      for (Path page : pages.filter(p -> p.toString().endsWith(".md")).toList()) {
        List<String> lines = Files.readAllLines(page);
        assertThat(lines.get(0)).as(page + " opens with its title").startsWith("# ");
        assertThat(lines.get(2))
            .as(page + " then says what it is for")
            .isNotBlank()
            .doesNotStartWith("#")
            .doesNotStartWith("```");
        assertThat(linked)
            .as("the README leads to " + page.getFileName())
            .anyMatch(link -> link.startsWith("docs/" + page.getFileName()));
      }
    }
  }

  private static List<Path> markdownFiles() throws IOException {
    try (Stream<Path> files = Files.walk(ROOT)) {
      return files
          .filter(p -> p.toString().endsWith(".md"))
          .filter(
              p -> {
                String name = ROOT.relativize(p).toString();
                return !name.startsWith("exporter/target")
                    && !name.contains("node_modules")
                    && !name.startsWith(".git");
              })
          .toList();
    }
  }

  /** Link targets outside code blocks and code spans. */
  static List<String> links(Path file) throws IOException {
    List<String> targets = new ArrayList<>();
    boolean fence = false;
    for (String line : Files.readAllLines(file)) {
      if (line.startsWith("```")) {
        fence = !fence;
        continue;
      }
      if (fence) {
        continue;
      }
      Matcher link = LINK.matcher(line.replaceAll("`[^`]*`", ""));
      while (link.find()) {
        targets.add(link.group(1));
      }
    }
    return targets;
  }

  /** The fragments GitHub gives the file's headings. */
  static Set<String> anchors(Path file) throws IOException {
    Set<String> anchors = new HashSet<>();
    if (!file.toString().endsWith(".md")) {
      return anchors;
    }
    boolean fence = false;
    for (String line : Files.readAllLines(file)) {
      if (line.startsWith("```")) {
        fence = !fence;
      } else if (!fence && line.matches("^#{1,6} .*")) {
        anchors.add(slug(line.replaceFirst("^#+ ", "")));
      }
    }
    return anchors;
  }

  /** GitHub's: lower case, punctuation but hyphens and underscores dropped, spaces as hyphens. */
  static String slug(String heading) {
    return heading
        .strip()
        .toLowerCase(Locale.ROOT)
        .replaceAll("[^\\p{L}\\p{N} _-]", "")
        .replace(' ', '-');
  }
}
