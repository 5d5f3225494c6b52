package io.capabilityexporter.webconfig;

import static org.assertj.core.api.Assertions.assertThat;

import at.favre.lib.crypto.bcrypt.BCrypt;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.junit.jupiter.api.Test;

/**
 * The README's web config, copied as a user copies it, lets its user in with the password the
 * README names: its bcrypt hash is that password's (one that was not gave 401 as printed).
 */
class ReadmeWebConfigTest {
  @Test
  void the_readmes_basic_auth_hash_is_the_hash_of_the_password_it_names() throws Exception {
    String readme = Files.readString(Path.of("../README.md"));
    Matcher hash =
        Pattern.compile("\n  prometheus: (\\$2[aby]\\$\\d\\d\\$\\S{53})\n").matcher(readme);
    Matcher password = Pattern.compile("`prometheus`'s password `([^`]+)`").matcher(readme);
    assertThat(hash.find()).as("the sample's basic_auth_users entry").isTrue();
    assertThat(password.find()).as("the password the README names").isTrue();
    assertThat(
            BCrypt.verifyer()
                .verify(password.group(1).toCharArray(), hash.group(1).toCharArray())
                .verified)
        .as("bcrypt(%s) = %s", password.group(1), hash.group(1))
        .isTrue();
  }
}
