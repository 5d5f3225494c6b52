package io.capabilityexporter.expected;

/**
 * A policy file that cannot be used; the message names the file, the line, the field and the fix:
 *
 * <pre>
 * policy.yaml:7: rules[1].capabilities[0]: "SYS_ADMN" is not a capability (did you mean SYS_ADMIN?)
 * </pre>
 */
public final class PolicyException extends Exception {
  private static final long serialVersionUID = 1L;

  public PolicyException(String message) {
    super(message);
  }
}
