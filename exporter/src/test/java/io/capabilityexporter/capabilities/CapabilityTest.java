package io.capabilityexporter.capabilities;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.junit.jupiter.api.Test;

class CapabilityTest {

  @Test
  void names_every_capability_of_the_kernel_headers_as_kubernetes_does() throws Exception {
    String header = Files.readString(Path.of("/usr/include/linux/capability.h"));
    Matcher define =
        Pattern.compile("#define CAP_([A-Z_]+)\\s+(\\d+)\\s*$", Pattern.MULTILINE).matcher(header);
    int seen = 0;
    while (define.find()) {
      String name = define.group(1);
      if (name.equals("LAST_CAP")) {
        continue;
      }
      assertThat(Capability.name(Integer.parseInt(define.group(2)))).isEqualTo(name);
      seen++;
    }
    assertThat(seen).isEqualTo(Capability.last() + 1);
  }

  @Test
  void names_an_unknown_number_by_itself() {
    assertThat(Capability.name(63)).isEqualTo("63");
    assertThat(Capability.name(-1)).isEqualTo("-1");
    assertThat(Capability.name(Capability.SYS_ADMIN)).isEqualTo("SYS_ADMIN");
  }
}
