package io.capabilityexporter.deploy;

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
final class Chart {
  static final Path DIR = Deploy.DIR.resolve("helm/capability-exporter");
  static final Path CI_VALUES = DIR.resolve("ci");

  /** The release name the plain manifests are rendered with: names come out unprefixed. */
  static final String RELEASE = "capability-exporter";

  /**
   * The oldest Kubernetes the chart declares (Chart.yaml's kubeVersion); nothing it renders depends
   * on the version. Without it Helm's library assumes 1.20 and refuses the chart.
   */
  static final String KUBE_VERSION = "1.21.0";

  private Chart() {}

  /** {@code helm template RELEASE DIR -n NAMESPACE [-f FILE]... [--set KEY=VALUE]...}. */
  static String template(String release, Map<String, ?> set, Path... valuesFiles) {
    TemplateCommand template =
        new Helm(DIR)
            .template()
            .withName(release)
            .withNamespace(Deploy.NAMESPACE)
            .withKubeVersion(KUBE_VERSION);
    for (Path file : valuesFiles) {
      template.withValuesFile(file);
    }
    set.forEach(template::set);
    return template.call();
  }

  static String template(Map<String, ?> set, Path... valuesFiles) {
    return template(RELEASE, set, valuesFiles);
  }

  static Deploy.Rendered render(Map<String, ?> set, Path... valuesFiles) {
    return new Deploy.Rendered(Deploy.parse(template(set, valuesFiles)));
  }

  /** {@code helm lint --strict DIR}. */
  static LintResult lint() {
    return new Helm(DIR).lint().strict().call();
  }
}
