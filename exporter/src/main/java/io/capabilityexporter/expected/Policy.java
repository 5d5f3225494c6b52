package io.capabilityexporter.expected;

import io.capabilityexporter.domain.Check;
import io.capabilityexporter.domain.PodFacts;
import io.capabilityexporter.domain.Workload;
import io.capabilityexporter.files.UntrustedFile;
import io.capabilityexporter.files.UntrustedFileException;
import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.charset.CharacterCodingException;
import java.nio.charset.StandardCharsets;
import java.nio.file.AccessDeniedException;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Optional;
import java.util.function.Supplier;

/**
 * The checks the policy file ({@code --config}) declares expected: rule 1 of
 * docs/configuration.md's "Expected and unexpected". The format is in PolicyFile; an example:
 *
 * <pre>
 * rules:
 *   - name: cilium-agent
 *     namespaces: [kube-system]
 *     selector: "k8s-app=cilium"
 *     capabilities: [NET_ADMIN, SYS_ADMIN, BPF, PERFMON]
 * </pre>
 */
public final class Policy {
  /** No rules: what runs without {@code --config}. */
  public static final Policy EMPTY = new Policy(List.of());

  /**
   * Rules for a few hundred workloads fit in a few dozen KiB. The time cap keeps a file on a hung
   * network mount from holding the reload (or start-up) for good.
   */
  static final UntrustedFile FILE =
      new UntrustedFile(
          "policy file",
          1 << 20,
          Duration.ofSeconds(5),
          "point --config at a regular file of at most 1 MiB");

  private final List<PolicyRule> rules;

  Policy(List<PolicyRule> rules) {
    this.rules = List.copyOf(rules);
  }

  /**
   * Reads and checks a policy file.
   *
   * @throws PolicyException naming the file, the line, the field and the fix: {@code policy.yaml:7:
   *     rules[1].capabilities[0]: "SYS_ADMN" is not a capability (did you mean SYS_ADMIN?)}
   */
  public static Policy load(Path file) throws PolicyException {
    String text;
    try {
      text =
          StandardCharsets.UTF_8.newDecoder().decode(ByteBuffer.wrap(FILE.read(file))).toString();
    } catch (NoSuchFileException e) {
      throw new PolicyException(file + ": no such file");
    } catch (AccessDeniedException e) {
      throw new PolicyException(file + ": permission denied");
    } catch (CharacterCodingException e) {
      throw new PolicyException(file + ": not UTF-8 text");
    } catch (UntrustedFileException e) {
      throw new PolicyException(e.getMessage());
    } catch (IOException e) {
      throw new PolicyException(file + ": cannot read: " + e.getMessage());
    }
    return parse(file.toString(), text);
  }

  /**
   * @param source the name to give the text in messages
   */
  static Policy parse(String source, String text) throws PolicyException {
    return PolicyFile.parse(source, text);
  }

  /** The number of rules. */
  public int size() {
    return rules.size();
  }

  /**
   * Whether any rule covers the check.
   *
   * @param pod the check's pod, asked for only by a rule with a selector
   */
  boolean covers(Workload workload, Check check, Supplier<Optional<PodFacts>> pod) {
    for (PolicyRule rule : rules) {
      if (rule.covers(workload, check, pod)) {
        return true;
      }
    }
    return false;
  }

  List<PolicyRule> rules() {
    return rules;
  }
}
