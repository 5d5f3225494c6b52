package io.capabilityexporter.deploy;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.fail;

import io.capabilityexporter.testing.Command;
import io.fabric8.kubernetes.api.model.Container;
import io.fabric8.kubernetes.api.model.GenericKubernetesResource;
import io.fabric8.kubernetes.api.model.HasMetadata;
import io.fabric8.kubernetes.api.model.apps.DaemonSet;
import io.fabric8.kubernetes.client.utils.KubernetesSerialization;
import java.io.IOException;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;

/** The repository's deploy/ directory, rendered by {@code kubectl kustomize} as a user would. */
final class Deploy {
  static final Path ROOT = Path.of("..").toAbsolutePath().normalize();
  static final Path DIR = ROOT.resolve("deploy");
  static final String NAMESPACE = "capability-exporter";

  private static final KubernetesSerialization SERIALIZATION = new KubernetesSerialization();

  private Deploy() {}

  /** What {@code kubectl kustomize DIR} prints; fails the test, naming the fix, without kubectl. */
  static String kustomize(Path dir) throws IOException, InterruptedException {
    Command.Result result =
        Command.run(
            ROOT,
            Duration.ofMinutes(1),
            "the tests render deploy/ with `kubectl kustomize`: `make deps` installs it (Debian:"
                + " apt-get install kubernetes-client), or see https://kubernetes.io/docs/tasks/tools/",
            List.of("kubectl", "kustomize", dir.toString()));
    if (result.stderr().contains("unknown field \"components\"")) {
      fail(
          "this kubectl's kustomize is too old for components (kustomize 3.7, kubectl 1.21):"
              + " Debian 12's kubernetes-client is 1.20; install a newer kubectl: "
              + result.stderr());
    }
    if (result.status() != 0) {
      fail("kubectl kustomize " + dir + " failed: " + result.stderr());
    }
    return result.stdout();
  }

  /** Every object of a YAML stream, as fabric8's model classes (CRDs as generic resources). */
  static List<HasMetadata> parse(String yaml) {
    Object parsed = SERIALIZATION.unmarshal(yaml);
    if (parsed instanceof List<?> list) {
      return list.stream().map(HasMetadata.class::cast).toList();
    }
    return List.of((HasMetadata) parsed);
  }

  static Rendered render(Path dir) throws IOException, InterruptedException {
    return new Rendered(parse(kustomize(dir)));
  }

  /** deploy/ as {@code kubectl apply -k deploy/} would send it. */
  static Rendered base() throws IOException, InterruptedException {
    return render(DIR);
  }

  /** The objects of one rendering. */
  record Rendered(List<HasMetadata> objects) {

    <T extends HasMetadata> List<T> all(Class<T> type) {
      return objects.stream().filter(o -> o.getClass() == type).map(type::cast).toList();
    }

    /** The only object of this class. */
    <T extends HasMetadata> T one(Class<T> type) {
      List<T> found = all(type);
      assertThat(found).as("objects of kind " + type.getSimpleName()).hasSize(1);
      return found.get(0);
    }

    <T extends HasMetadata> T named(Class<T> type, String name) {
      List<T> found =
          all(type).stream().filter(o -> o.getMetadata().getName().equals(name)).toList();
      assertThat(found).as(type.getSimpleName() + " " + name).hasSize(1);
      return found.get(0);
    }

    List<GenericKubernetesResource> custom(String kind) {
      return all(GenericKubernetesResource.class).stream()
          .filter(o -> o.getKind().equals(kind))
          .toList();
    }

    DaemonSet daemonSet() {
      return one(DaemonSet.class);
    }

    /** The exporter's container: the DaemonSet's only one. */
    Container exporter() {
      List<Container> containers = daemonSet().getSpec().getTemplate().getSpec().getContainers();
      assertThat(containers).hasSize(1);
      return containers.get(0);
    }
  }
}
