package io.capabilityexporter.metrics;

import static org.assertj.core.api.Assertions.assertThat;

import io.capabilityexporter.domain.Workload;
import java.io.ByteArrayOutputStream;
import java.nio.charset.StandardCharsets;
import java.util.Set;
import org.junit.jupiter.api.Test;

class CheckSeriesTest {
  private static final int SYS_CHROOT = 18;
  private final CheckSeries series = new CheckSeries(CheckSeries.WORKLOAD);

  private static String written(CheckSeries series, boolean openMetrics) throws Exception {
    ByteArrayOutputStream text = new ByteArrayOutputStream();
    series.write(text, openMetrics);
    return text.toString(StandardCharsets.UTF_8);
  }

  private String written(boolean openMetrics) throws Exception {
    return written(series, openMetrics);
  }

  @Test
  void adds_deltas_under_the_labels_sorted_by_name() throws Exception {
    Workload web = new Workload("shop", "web-0", "nginx");
    series.add(web, SYS_CHROOT, true, false, 3);
    series.add(web, SYS_CHROOT, true, false, 2);
    assertThat(written(false))
        .isEqualTo(
            """
            # TYPE capability_checks_total counter
            # HELP capability_checks_total Capability checks the kernel made, counted in the kernel.
            capability_checks_total{capability="SYS_CHROOT",container="nginx",expected="false",\
            namespace="shop",pod="web-0",verdict="deny"} 5
            """);
    assertThat(written(true)).startsWith("# TYPE capability_checks counter\n");
  }

  @Test
  void the_runtimes_family_has_no_expected_label() throws Exception {
    CheckSeries runtime = new CheckSeries(CheckSeries.RUNTIME);
    runtime.add(new Workload("shop", "web-0", "nginx"), 21, false, true, 95);
    assertThat(written(runtime, false))
        .startsWith("# TYPE capability_runtime_checks_total counter\n")
        .contains(
            "capability_runtime_checks_total{capability=\"SYS_ADMIN\",container=\"nginx\","
                + "namespace=\"shop\",pod=\"web-0\",verdict=\"allow\"} 95\n");
  }

  @Test
  void removes_every_series_of_a_retired_workload_and_only_those() throws Exception {
    series.add(Workload.container("job.service"), SYS_CHROOT, true, false, 1);
    series.add(Workload.container("job.service"), SYS_CHROOT, false, true, 1);
    series.add(Workload.container("web.service"), SYS_CHROOT, true, false, 1);
    series.remove(Set.of(Workload.container("job.service")));
    assertThat(written(false)).doesNotContain("job.service").contains("web.service");
  }

  @Test
  void escapes_backslashes_quotes_and_newlines_in_label_values() throws Exception {
    series.add(Workload.container("/odd\\dir/\"quoted\"\nline"), SYS_CHROOT, false, true, 1);
    assertThat(written(false))
        .contains(
            "capability_checks_total{capability=\"SYS_CHROOT\","
                + "container=\"/odd\\\\dir/\\\"quoted\\\"\\nline\",expected=\"true\","
                + "namespace=\"\",pod=\"\",verdict=\"allow\"} 1\n");
  }

  @Test
  void keeps_each_capability_verdict_and_expectation_of_a_workload_apart() throws Exception {
    Workload web = Workload.container("web.service");
    for (int capability = 0; capability < 41; capability++) {
      series.add(web, capability, false, true, 1);
      series.add(web, capability, true, false, 2);
      series.add(web, capability, true, true, 3);
    }
    series.add(web, 40, true, true, 4);
    String text = written(false);
    assertThat(text.lines().filter(line -> line.startsWith("capability_checks_total{")))
        .hasSize(123);
    assertThat(text)
        .contains(
            "capability_checks_total{capability=\"CHECKPOINT_RESTORE\",container=\"web.service\","
                + "expected=\"true\",namespace=\"\",pod=\"\",verdict=\"deny\"} 7\n");
  }
}
