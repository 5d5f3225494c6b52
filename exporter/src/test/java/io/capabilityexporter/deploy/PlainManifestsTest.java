package io.capabilityexporter.deploy;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;

/** deploy/manifests/ is the chart rendered with its defaults, and deploy/ applies all of it. */
class PlainManifestsTest {

  @Test
  void the_committed_files_are_what_the_chart_renders_now() throws Exception {
    Map<String, String> rendered = PlainManifests.render();
    List<String> committed;
    try (Stream<Path> files = Files.list(PlainManifests.DIR)) {
      committed = files.map(f -> f.getFileName().toString()).sorted().toList();
    }
    assertThat(committed)
        .as("deploy/manifests/ against the chart's templates: run `make manifests`")
        .containsExactlyElementsOf(rendered.keySet());
    for (var file : rendered.entrySet()) {
      assertThat(Files.readString(PlainManifests.DIR.resolve(file.getKey())))
          .as("deploy/manifests/" + file.getKey() + " is stale: run `make manifests`")
          .isEqualTo(file.getValue());
    }
  }

  @Test
  void kubectl_apply_k_deploy_applies_the_namespace_and_every_rendered_file() throws Exception {
    List<String> expected = new ArrayList<>(List.of("namespace.yaml"));
    try (Stream<Path> files = Files.list(PlainManifests.DIR)) {
      files.map(f -> "manifests/" + f.getFileName()).forEach(expected::add);
    }
    assertThat(Deploy.kustomization(Deploy.DIR).get("resources"))
        .asInstanceOf(org.assertj.core.api.InstanceOfAssertFactories.LIST)
        .containsExactlyInAnyOrderElementsOf(expected);
  }
}
