package io.capabilityexporter.tools;

import com.marcnuri.helm.Helm;
import com.marcnuri.helm.LintResult;
import com.marcnuri.helm.TemplateCommand;
import java.nio.file.Path;
import java.util.Map;

/**
 * The Helm chart under deploy/helm, linted and rendered by Helm 3 itself (helm-java: Helm's Go code
 * as a native library), as {@code helm template} and {@code helm lint} would: no helm CLI, no
 * cluster, no network.
 */
public final class Chart {
  /** The release name the plain manifests are rendered with: names come out unprefixed. */
  public static final String RELEASE = "capability-exporter";

  /** The namespace deploy/ installs into. */
  public static final String NAMESPACE = "capability-exporter";

  /**
   * The oldest Kubernetes the chart declares (Chart.yaml's kubeVersion); nothing it renders depends
   * on the version. Without it Helm's library assumes 1.20 and refuses the chart.
   */
  public static final String KUBE_VERSION = "1.21.0";

  private final Path dir;

  /** The chart of the repository checked out at {@code repository}. */
  public Chart(Path repository) {
    this.dir = repository.resolve("deploy/helm/capability-exporter");
  }

  public Path dir() {
    return dir;
  }

  /** {@code helm template RELEASE DIR -n NAMESPACE [-f FILE]... [--set KEY=VALUE]...}. */
  public String template(String release, Map<String, ?> set, Path... valuesFiles) {
    TemplateCommand template =
        new Helm(dir)
            .template()
            .withName(release)
            .withNamespace(NAMESPACE)
            .withKubeVersion(KUBE_VERSION);
    for (Path file : valuesFiles) {
      template.withValuesFile(file);
    }
    set.forEach(template::set);
    return template.call();
  }

  /** {@code helm lint --strict DIR}. */
  public LintResult lint() {
    return new Helm(dir).lint().strict().call();
  }
}
