package io.capabilityexporter.cli;

/** Bad usage or configuration (exit status 2); the message names the fault and the fix. */
public final class UsageException extends Exception {
  private static final long serialVersionUID = 1L;

  public UsageException(String message) {
    super(message);
  }
}
