package io.capabilityexporter.probe;

import static org.assertj.core.api.Assertions.assertThat;

import org.junit.jupiter.api.Test;

/** A program fd's fdinfo, as Linux 6.x writes it; and what is not one. */
class ProgramCostTest {
  @Test
  void reads_the_run_time_runs_and_recursion_misses_of_a_programs_fdinfo() {
    String fdinfo =
        "pos:\t0\nflags:\t02000002\nmnt_id:\t16\nino:\t1058\nprog_type:\t26\nprog_jited:\t1\n"
            + "prog_tag:\tf7485ba8751e4550\nmemlock:\t20480\nprog_id:\t12905\n"
            + "run_time_ns:\t294970\nrun_cnt:\t1191\nrecursion_misses:\t2\nverified_insns:\t1719\n";
    assertThat(ProgramCost.parse("cap_capable_tp", fdinfo))
        .contains(new ProgramCost("cap_capable_tp", 294970, 1191, 2));
  }

  @Test
  void an_fd_without_run_counts_is_no_programs() {
    assertThat(ProgramCost.parse("x", "pos:\t0\nflags:\t0100000\nmnt_id:\t24\n")).isEmpty();
    assertThat(ProgramCost.parse("x", "run_time_ns:\tmany\nrun_cnt:\t\n")).isEmpty();
  }
}
