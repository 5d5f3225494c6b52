package io.capabilityexporter.webconfig;

import static org.assertj.core.api.Assertions.assertThat;

import at.favre.lib.crypto.bcrypt.BCrypt;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.junit.jupiter.api.Test;

/**
 * The web config of docs/tls.md, copied as a user copies it, lets its user in with the password the
 * page names: its bcrypt hash is that password's (one that was not gave 401 as printed).
 */
class DocumentedWebConfigTest {
  @Test
  void the_documented_basic_auth_hash_is_the_hash_of_the_password_it_names() throws Exception {
    String page = Files.readString(Path.of("../docs/tls.md"));
    Matcher hash =
        Pattern.compile("\n  prometheus: (\\$2[aby]\\$\\d\\d\\$\\S{53})\n").matcher(page);
    Matcher password = Pattern.compile("`prometheus`'s password `([^`]+)`").matcher(page);
    assertThat(hash.find()).as("the sample's basic_auth_users entry").isTrue();
    assertThat(password.find()).as("the password docs/tls.md names").isTrue();
    assertThat(
            BCrypt.verifyer()
                .verify(password.group(1).toCharArray(), hash.group(1).toCharArray())
                .verified)
        .as("bcrypt(%s) = %s", password.group(1), hash.group(1))
        .isTrue();
  }
}
