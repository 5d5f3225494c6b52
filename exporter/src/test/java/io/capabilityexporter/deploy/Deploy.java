package io.capabilityexporter.deploy;

import static org.assertj.core.api.Assertions.assertThat;

import io.fabric8.kubernetes.api.model.Container;
import io.fabric8.kubernetes.api.model.GenericKubernetesResource;
import io.fabric8.kubernetes.api.model.HasMetadata;
import io.fabric8.kubernetes.api.model.apps.DaemonSet;
import io.fabric8.kubernetes.client.utils.KubernetesSerialization;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Set;
import org.yaml.snakeyaml.Yaml;

/**
 * The repository's deploy/: what {@code kubectl apply -k deploy/} sends (the files its
 * kustomization lists, read here without kubectl, so no test depends on a kubectl version), and the
 * chart they are rendered from ({@link Chart}).
 */
final class Deploy {
  static final Path ROOT = Path.of("..").toAbsolutePath().normalize();
  static final Path DIR = ROOT.resolve("deploy");
  static final String NAMESPACE = "capability-exporter";

  /** The fields of a kustomization this reading understands: anything else would be ignored. */
  static final Set<String> KUSTOMIZATION_FIELDS =
      Set.of("apiVersion", "kind", "namespace", "resources");

  private static final KubernetesSerialization SERIALIZATION = new KubernetesSerialization();

  private Deploy() {}

  /** DIR/kustomization.yaml, parsed. */
  @SuppressWarnings("unchecked")
  static Map<String, Object> kustomization(Path dir) throws IOException {
    return new Yaml().load(Files.readString(dir.resolve("kustomization.yaml")));
  }

  /**
   * The objects of the files a kustomization lists, in its order. It may hold nothing but resources
   * (files, or directories with their own kustomization), which is all kustomize of any kubectl
   * renders alike.
   */
  @SuppressWarnings("unchecked")
  static List<HasMetadata> resources(Path dir) throws IOException {
    Map<String, Object> kustomization = kustomization(dir);
    assertThat(kustomization.keySet())
        .as(dir.resolve("kustomization.yaml") + ": fields beyond resources")
        .isSubsetOf(KUSTOMIZATION_FIELDS);
    List<HasMetadata> objects = new ArrayList<>();
    for (String resource : (List<String>) kustomization.get("resources")) {
      Path path = dir.resolve(resource).normalize();
      if (Files.isDirectory(path)) {
        objects.addAll(resources(path));
      } else {
        objects.addAll(parse(Files.readString(path)));
      }
    }
    return objects;
  }

  /** Every object of a YAML stream, as fabric8's model classes (CRDs as generic resources). */
  static List<HasMetadata> parse(String yaml) {
    Object parsed = SERIALIZATION.unmarshal(yaml);
    if (parsed instanceof List<?> list) {
      return list.stream().map(HasMetadata.class::cast).toList();
    }
    return List.of((HasMetadata) parsed);
  }

  static Rendered render(Path dir) throws IOException {
    return new Rendered(resources(dir));
  }

  /** deploy/ as {@code kubectl apply -k deploy/} would send it. */
  static Rendered base() throws IOException {
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
