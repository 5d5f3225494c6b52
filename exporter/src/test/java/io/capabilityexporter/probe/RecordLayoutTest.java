package io.capabilityexporter.probe;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.concurrent.TimeUnit;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/** Java's mirrors of bpf/capable.h against the compiled object's BTF, as bpftool dumps it. */
class RecordLayoutTest {
  private static String btf;

  @BeforeAll
  static void dumpBtf() throws Exception {
    Path object = Path.of("target/classes" + BpfObject.RESOURCE);
    assertThat(object).exists();
    Process process =
        new ProcessBuilder("bpftool", "btf", "dump", "file", object.toString()).start();
    btf = new String(process.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
    assertThat(process.waitFor(30, TimeUnit.SECONDS)).isTrue();
    assertThat(process.exitValue()).isZero();
  }

  private static int size(String struct) {
    Matcher matcher = Pattern.compile("STRUCT '" + struct + "' size=(\\d+)").matcher(btf);
    assertThat(matcher.find()).as("struct %s in the BTF", struct).isTrue();
    return Integer.parseInt(matcher.group(1));
  }

  private static int offset(String struct, String member) {
    int start = btf.indexOf("STRUCT '" + struct + "'");
    int end = btf.indexOf("\n[", start);
    Matcher matcher =
        Pattern.compile("'" + member + "' type_id=\\d+ bits_offset=(\\d+)")
            .matcher(btf.substring(start, end));
    assertThat(matcher.find()).as("%s.%s in the BTF", struct, member).isTrue();
    return Integer.parseInt(matcher.group(1)) / 8;
  }

  @Test
  void count_key_matches_the_c_struct() {
    assertThat(size("count_key")).isEqualTo(CountKey.SIZE);
    assertThat(offset("count_key", "cgroup_id")).isEqualTo(CountKey.OFFSET_CGROUP_ID);
    assertThat(offset("count_key", "cap")).isEqualTo(CountKey.OFFSET_CAP);
    assertThat(offset("count_key", "verdict")).isEqualTo(CountKey.OFFSET_VERDICT);
    assertThat(offset("count_key", "audit")).isEqualTo(CountKey.OFFSET_AUDIT);
    assertThat(offset("count_key", "userns_level")).isEqualTo(CountKey.OFFSET_USERNS_LEVEL);
    assertThat(offset("count_key", "origin")).isEqualTo(CountKey.OFFSET_ORIGIN);
  }

  @Test
  void the_cgroup_block_and_the_cgroup_event_match_the_c_structs() {
    assertThat(size("cgroup_block")).isEqualTo(CgroupBlocks.BLOCK_SIZE);
    assertThat(offset("cgroup_block", "counts")).isEqualTo(Long.BYTES);
    assertThat(offset("cgroup_event", "change")).isEqualTo(8);
    assertThat(offset("cgroup_event", "path_len")).isEqualTo(12);
    assertThat(offset("cgroup_event", "path")).isEqualTo(CgroupChange.HEADER);
    assertThat(size("cgroup_event")).isEqualTo(CgroupChange.HEADER + CgroupChange.PATH_MAX);
    assertThat(size("flush_args")).isEqualTo(8);
    assertThat(size("settle_args")).isEqualTo(8);
    assertThat(size("pending_checks")).isEqualTo(HeldChecks.VALUE_SIZE);
    assertThat(offset("pending_checks", "resolution")).isEqualTo(HeldChecks.OFFSET_RESOLUTION);
  }

  @Test
  void config_matches_the_c_struct_and_sits_at_the_start_of_rodata() {
    assertThat(size("capable_config")).isEqualTo(ProbeConfig.SIZE);
    assertThat(offset("capable_config", "direct_loads")).isEqualTo(ProbeConfig.OFFSET_DIRECT_LOADS);
    assertThat(offset("capable_config", "joining_syscalls"))
        .isEqualTo(ProbeConfig.OFFSET_JOINING_SYSCALLS);
    assertThat(offset("capable_config", "setid_syscalls"))
        .isEqualTo(ProbeConfig.OFFSET_SETID_SYSCALLS);
    assertThat(offset("capable_config", "security_capable"))
        .isEqualTo(ProbeConfig.OFFSET_SECURITY_CAPABLE);
    assertThat(offset("capable_config", "noaudit_callers"))
        .isEqualTo(ProbeConfig.OFFSET_NOAUDIT_CALLERS);
    assertThat(offset("capable_config", "noaudit_wrappers"))
        .isEqualTo(ProbeConfig.OFFSET_NOAUDIT_WRAPPERS);
    assertThat(offset("capable_config", "setid_wrapper"))
        .isEqualTo(ProbeConfig.OFFSET_SETID_WRAPPER);
    assertThat(offset("capable_config", "enabled")).isEqualTo(ProbeConfig.OFFSET_ENABLED);
    assertThat(offset("capable_config", "events")).isEqualTo(ProbeConfig.OFFSET_EVENTS);
    assertThat(offset("capable_config", "stacks")).isEqualTo(ProbeConfig.OFFSET_STACKS);
    assertThat(offset("capable_config", "slot_mask")).isEqualTo(ProbeConfig.OFFSET_SLOT_MASK);
    assertThat(offset("capable_config", "audit_mode")).isEqualTo(ProbeConfig.OFFSET_AUDIT_MODE);
    assertThat(offset("capable_config", "audited_events"))
        .isEqualTo(ProbeConfig.OFFSET_AUDITED_EVENTS);
    assertThat(size("text_range")).isEqualTo(16);
    assertThat(btf)
        .containsPattern(
            "DATASEC '.rodata' size=\\d+ vlen=1\\s+type_id=\\d+ offset=0 size=\\d+ \\(VAR 'config'\\)");
  }

  @Test
  void check_event_matches_the_c_struct() {
    assertThat(size("check_event")).isEqualTo(CheckRecord.SIZE);
    assertThat(offset("check_event", "count")).isEqualTo(CheckRecord.OFFSET_COUNT);
    assertThat(offset("check_event", "target_userns")).isEqualTo(CheckRecord.OFFSET_TARGET_USERNS);
    assertThat(offset("check_event", "pid")).isEqualTo(CheckRecord.OFFSET_PID);
    assertThat(offset("check_event", "cap")).isEqualTo(CheckRecord.OFFSET_CAP);
    assertThat(offset("check_event", "syscall")).isEqualTo(CheckRecord.OFFSET_SYSCALL);
    assertThat(offset("check_event", "stack_id")).isEqualTo(CheckRecord.OFFSET_STACK_ID);
    assertThat(offset("check_event", "verdict")).isEqualTo(CheckRecord.OFFSET_VERDICT);
    assertThat(offset("check_event", "userns_level")).isEqualTo(CheckRecord.OFFSET_USERNS_LEVEL);
    assertThat(offset("check_event", "origin")).isEqualTo(CheckRecord.OFFSET_ORIGIN);
    assertThat(offset("check_event", "lineage")).isEqualTo(CheckRecord.OFFSET_LINEAGE);
    assertThat(offset("check_event", "userns_level")).isEqualTo(CheckRecord.OFFSET_USERNS_LEVEL);
    assertThat(offset("check_event", "comm")).isEqualTo(CheckRecord.OFFSET_COMM);
  }

  @Test
  void the_overflow_and_stats_arrays_have_the_sizes_java_reads() throws Exception {
    String header = Files.readString(Path.of("../bpf/capable.h"));
    assertThat(header)
        .contains("#define CAP_SLOTS 64")
        .contains("#define BLOCK_CAPS " + CgroupBlocks.BLOCK_CAPS)
        .contains("#define SLOT_DEPARTED (1ULL << 63)")
        .contains("STAT_SLOTS = " + Stat.SLOTS)
        .contains("#define WRAPPERS " + ProbeConfig.WRAPPER_SLOTS);
    for (Stat stat : Stat.values()) {
      assertThat(header).containsPattern("STAT_" + stat.name() + " = " + stat.index + ",");
    }
  }
}
