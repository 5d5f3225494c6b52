package io.capabilityexporter.logs;

import static org.assertj.core.api.Assertions.assertThat;

import io.capabilityexporter.domain.Check;
import io.capabilityexporter.domain.Workload;
import io.capabilityexporter.events.CheckEvent;
import io.capabilityexporter.profiles.CheckEvents;
import org.junit.jupiter.api.Test;

class CheckEventRecordTest {

  @Test
  void theBodyIsALinePeopleRead() {
    assertThat(CheckEventRecord.body(KnownChecks.niceDenied()))
        .isEqualTo("nice (pid 4711) was denied SYS_NICE in setpriority, 3 times");
    assertThat(CheckEventRecord.body(once(KnownChecks.niceDenied())))
        .isEqualTo("nice (pid 4711) was denied SYS_NICE in setpriority");
    assertThat(CheckEventRecord.body(KnownChecks.chrootAllowedOnAHost(9)))
        .isEqualTo("cron (pid 9) was allowed SYS_CHROOT");
  }

  @Test
  void aCapabilityNewerThanTheTableIsNamedByItsNumber() {
    CheckEvent e = once(KnownChecks.niceDenied());
    CheckEvent newer =
        CheckEvents.withCheck(e, new Check(63, e.check().denied(), e.check().audit(), 0));

    assertThat(CheckEventRecord.body(newer))
        .isEqualTo("nice (pid 4711) was denied 63 in setpriority");
  }

  @Test
  void effectiveCapabilitiesAreWrittenAsProcStatusWritesCapEff() {
    assertThat(io.capabilityexporter.events.EventFields.hex(0x000001ffffffffffL))
        .isEqualTo("000001ffffffffff");
    assertThat(io.capabilityexporter.events.EventFields.hex(0)).isEqualTo("0000000000000000");
    assertThat(io.capabilityexporter.events.EventFields.hex(1L << 21))
        .isEqualTo("0000000000200000");
    assertThat(io.capabilityexporter.events.EventFields.hex(-1L)).isEqualTo("ffffffffffffffff");
  }

  private static CheckEvent once(CheckEvent e) {
    return new CheckEvent(
        e.timestamp(),
        e.node(),
        new Workload("", "", ""),
        null,
        "",
        e.cgroupId(),
        e.pid(),
        e.tid(),
        e.comm(),
        e.syscall(),
        e.uid(),
        e.gid(),
        e.check(),
        e.origin(),
        e.insetid(),
        e.targetUserNs(),
        e.currentUserNs(),
        e.mountNsId(),
        e.effectiveCaps(),
        1,
        e.stack());
  }
}
