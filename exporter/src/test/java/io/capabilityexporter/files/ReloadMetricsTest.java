package io.capabilityexporter.files;

import static org.assertj.core.api.Assertions.assertThat;

import io.micrometer.prometheusmetrics.PrometheusConfig;
import io.micrometer.prometheusmetrics.PrometheusMeterRegistry;
import org.junit.jupiter.api.Test;

class ReloadMetricsTest {
  private final PrometheusMeterRegistry registry =
      new PrometheusMeterRegistry(PrometheusConfig.DEFAULT);
  private final ReloadMetrics reloads =
      new ReloadMetrics(
          registry, "capability.exporter.web.config", "the web config", "--web.config.file");

  @Test
  void names_and_describes_the_file_in_the_shape_prometheus_gives_its_own() {
    assertThat(registry.scrape())
        .contains(
            "# HELP capability_exporter_web_config_last_reload_successful Whether the last load"
                + " of the web config (--web.config.file) succeeded.\n")
        .contains(
            "# HELP capability_exporter_web_config_last_reload_success_timestamp_seconds When the"
                + " web config was last loaded successfully, in Unix time.\n")
        .contains(
            "# HELP capability_exporter_web_config_reloads_total Re-reads of the web config after"
                + " start-up, by result.\n")
        .contains("capability_exporter_web_config_last_reload_successful 1.0\n");
  }

  @Test
  void a_failure_shows_until_the_next_success_and_each_is_counted() {
    reloads.failed();
    assertThat(registry.scrape())
        .contains("capability_exporter_web_config_last_reload_successful 0.0\n")
        .contains("capability_exporter_web_config_reloads_total{result=\"failure\"} 1.0\n");
    reloads.succeeded();
    assertThat(registry.scrape())
        .contains("capability_exporter_web_config_last_reload_successful 1.0\n")
        .contains("capability_exporter_web_config_reloads_total{result=\"success\"} 1.0\n");
  }
}
