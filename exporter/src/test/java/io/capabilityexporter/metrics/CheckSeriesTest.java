package io.capabilityexporter.metrics;

import static org.assertj.core.api.Assertions.assertThat;

import io.capabilityexporter.domain.Workload;
import java.util.Set;
import org.junit.jupiter.api.Test;

class CheckSeriesTest {
  private static final int SYS_CHROOT = 18;
  private final CheckSeries series = new CheckSeries(CheckSeries.WORKLOAD);

  private String written(boolean openMetrics) {
    StringBuilder text = new StringBuilder();
    series.write(text, openMetrics);
    return text.toString();
  }

  @Test
  void adds_deltas_under_the_labels_sorted_by_name() {
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
  void the_runtimes_family_has_no_expected_label() {
    CheckSeries runtime = new CheckSeries(CheckSeries.RUNTIME);
    runtime.add(new Workload("shop", "web-0", "nginx"), 21, false, true, 95);
    StringBuilder text = new StringBuilder();
    runtime.write(text, false);
    assertThat(text.toString())
        .startsWith("# TYPE capability_runtime_checks_total counter\n")
        .contains(
            "capability_runtime_checks_total{capability=\"SYS_ADMIN\",container=\"nginx\","
                + "namespace=\"shop\",pod=\"web-0\",verdict=\"allow\"} 95\n");
  }

  @Test
  void removes_every_series_of_a_retired_workload_and_only_those() {
    series.add(Workload.container("job.service"), SYS_CHROOT, true, false, 1);
    series.add(Workload.container("job.service"), SYS_CHROOT, false, true, 1);
    series.add(Workload.container("web.service"), SYS_CHROOT, true, false, 1);
    series.remove(Set.of(Workload.container("job.service")));
    assertThat(written(false)).doesNotContain("job.service").contains("web.service");
  }
}
