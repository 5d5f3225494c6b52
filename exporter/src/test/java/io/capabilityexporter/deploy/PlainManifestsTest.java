package io.capabilityexporter.deploy;

import static org.assertj.core.api.Assertions.assertThat;

import io.capabilityexporter.tools.PlainManifests;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** deploy/manifests/ is the chart rendered with its defaults, and deploy/ applies all of it. */
class PlainManifestsTest {
  private static final Path DIR = PlainManifests.dir(Deploy.ROOT);

  @Test
  void the_committed_files_are_what_the_chart_renders_now() throws Exception {
    Map<String, String> rendered = PlainManifests.render(Chart.CHART);
    List<String> committed;
    try (Stream<Path> files = Files.list(DIR)) {
      committed = files.map(f -> f.getFileName().toString()).sorted().toList();
    }
    assertThat(committed)
        .as("deploy/manifests/ against the chart's templates: run `make manifests`")
        .containsExactlyElementsOf(rendered.keySet());
    for (var file : rendered.entrySet()) {
      assertThat(Files.readString(DIR.resolve(file.getKey())))
          .as("deploy/manifests/" + file.getKey() + " is stale: run `make manifests`")
          .isEqualTo(file.getValue());
    }
  }

  @Test
  void kubectl_apply_k_deploy_applies_the_namespace_and_every_rendered_file() throws Exception {
    List<String> expected = new ArrayList<>(List.of("namespace.yaml"));
    try (Stream<Path> files = Files.list(DIR)) {
      files.map(f -> "manifests/" + f.getFileName()).forEach(expected::add);
    }
    assertThat(Deploy.kustomization(Deploy.DIR).get("resources"))
        .asInstanceOf(org.assertj.core.api.InstanceOfAssertFactories.LIST)
        .containsExactlyInAnyOrderElementsOf(expected);
  }

  /** {@code make manifests} (tools' main): a stale file rewritten, one the chart lost deleted. */
  @Test
  void make_manifests_rewrites_the_directory_to_the_render(@TempDir Path repository)
      throws Exception {
    Files.createDirectories(repository.resolve("deploy/manifests"));
    Files.createSymbolicLink(repository.resolve("deploy/helm"), Deploy.DIR.resolve("helm"));
    Path manifests = PlainManifests.dir(repository);
    Files.writeString(manifests.resolve("daemonset.yaml"), "stale\n");
    Files.writeString(manifests.resolve("gone.yaml"), "a template since removed\n");

    PlainManifests.main(new String[] {repository.toString()});

    Map<String, String> rendered = PlainManifests.render(Chart.CHART);
    try (Stream<Path> files = Files.list(manifests)) {
      assertThat(files.map(f -> f.getFileName().toString()).sorted())
          .containsExactlyElementsOf(rendered.keySet());
    }
    for (var file : rendered.entrySet()) {
      assertThat(manifests.resolve(file.getKey())).hasContent(file.getValue());
    }
  }
}
