package io.capabilityexporter.deploy;

import static org.assertj.core.api.Assertions.assertThat;

import org.junit.jupiter.api.Test;

class UnknownFieldsTest {

  @Test
  void finds_misspelt_fields_at_any_depth_and_nothing_in_a_correct_object() {
    String misspelt =
        """
        apiVersion: apps/v1
        kind: DaemonSet
        metadata:
          name: x
        spec:
          template:
            spec:
              hostPid: true
              containers:
                - name: c
                  securityContext:
                    readOnlyRootFileSystem: true
        """;
    assertThat(UnknownFields.of(Deploy.parse(misspelt).get(0)))
        .containsExactlyInAnyOrder(
            ".spec.template.spec.hostPid",
            ".spec.template.spec.containers[0].securityContext.readOnlyRootFileSystem");
    String right = misspelt.replace("hostPid", "hostPID").replace("FileSystem", "Filesystem");
    assertThat(UnknownFields.of(Deploy.parse(right).get(0))).isEmpty();
  }
}
