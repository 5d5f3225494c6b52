package io.capabilityexporter.files;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.Map;
import org.junit.jupiter.api.Test;

class NodeNameTest {

  @Test
  void node_name_from_the_downward_api_else_the_host_name() {
    assertThat(NodeName.orHostName(Map.of("NODE_NAME", " node-a\n"))).isEqualTo("node-a");
    assertThat(NodeName.fromEnvironment(Map.of("NODE_NAME", "  "))).isEmpty();
    assertThat(NodeName.orHostName(Map.of("NODE_NAME", "  ")))
        .isEqualTo(ProcFiles.hostName().orElse(""))
        .isNotBlank();
    assertThat(NodeName.orHostName(Map.of())).isEqualTo(ProcFiles.hostName().orElse(""));
  }
}
