package io.capabilityexporter.probe;

import static org.assertj.core.api.Assertions.assertThat;

import io.capabilityexporter.domain.Flag;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.charset.StandardCharsets;
import org.junit.jupiter.api.Test;

/** Ring buffer bytes are not trusted: what cannot be a check event is refused, never a crash. */
class CheckRecordTest {

  private static ByteBuffer record() {
    ByteBuffer bytes = ByteBuffer.allocate(CheckRecord.SIZE).order(ByteOrder.nativeOrder());
    bytes.putLong(0, 123).putLong(8, 4711).putLong(CheckRecord.OFFSET_COUNT, 5);
    bytes.putInt(CheckRecord.OFFSET_PID, 42).putInt(CheckRecord.OFFSET_CAP, 23);
    bytes.putInt(CheckRecord.OFFSET_SYSCALL, 141).putInt(CheckRecord.OFFSET_STACK_ID, -1);
    bytes.put(CheckRecord.OFFSET_VERDICT, (byte) 1).put(CheckRecord.OFFSET_VERDICT + 1, (byte) 1);
    bytes.put(CheckRecord.OFFSET_VERDICT + 2, (byte) 2);
    bytes.put(CheckRecord.OFFSET_COMM, "nice".getBytes(StandardCharsets.US_ASCII));
    return bytes;
  }

  @Test
  void decodes_a_record_the_kernel_wrote() {
    CheckRecord record = CheckRecord.decode(record());

    assertThat(record.cgroupId()).isEqualTo(4711);
    assertThat(record.count()).isEqualTo(5);
    assertThat(record.pid()).isEqualTo(42);
    assertThat(record.capability()).isEqualTo(23);
    assertThat(record.syscall()).isEqualTo(141);
    assertThat(record.denied()).isTrue();
    assertThat(record.audit()).isEqualTo(Flag.YES);
    assertThat(record.insetid()).isEqualTo(Flag.UNKNOWN);
    assertThat(record.comm()).isEqualTo("nice");
  }

  @Test
  void refuses_a_record_of_the_wrong_size_or_an_impossible_verdict() {
    assertThat(CheckRecord.decode(ByteBuffer.allocate(CheckRecord.SIZE - 8))).isNull();
    ByteBuffer bytes = record();
    bytes.put(CheckRecord.OFFSET_VERDICT, (byte) 7);
    assertThat(CheckRecord.decode(bytes)).isNull();
  }

  @Test
  void a_comm_without_nul_or_with_control_bytes_stays_printable_and_bounded() {
    ByteBuffer bytes = record();
    byte[] hostile = "\u001b[31mred\nx12345678".getBytes(StandardCharsets.US_ASCII);
    bytes.put(CheckRecord.OFFSET_COMM, hostile, 0, 16);

    String comm = CheckRecord.decode(bytes).comm();
    assertThat(comm).hasSize(16).matches("[\\x20-\\x7e]*").startsWith("?[31mred?");
  }
}
