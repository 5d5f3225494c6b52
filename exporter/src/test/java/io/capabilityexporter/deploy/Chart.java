package io.capabilityexporter.deploy;

import com.marcnuri.helm.LintResult;
import java.nio.file.Path;
import java.util.Map;

/**
 * This checkout's chart (tools' {@link io.capabilityexporter.tools.Chart}: Helm's own library, no
 * helm CLI), as the tests render it: parsed into the objects it makes.
 */
final class Chart {
  static final io.capabilityexporter.tools.Chart CHART =
      new io.capabilityexporter.tools.Chart(Deploy.ROOT);
  static final Path DIR = CHART.dir();
  static final Path CI_VALUES = DIR.resolve("ci");
  static final String RELEASE = io.capabilityexporter.tools.Chart.RELEASE;

  private Chart() {}

  static String template(String release, Map<String, ?> set, Path... valuesFiles) {
    return CHART.template(release, set, valuesFiles);
  }

  static String template(Map<String, ?> set, Path... valuesFiles) {
    return template(RELEASE, set, valuesFiles);
  }

  static Deploy.Rendered render(Map<String, ?> set, Path... valuesFiles) {
    return new Deploy.Rendered(Deploy.parse(template(set, valuesFiles)));
  }

  static LintResult lint() {
    return CHART.lint();
  }
}
