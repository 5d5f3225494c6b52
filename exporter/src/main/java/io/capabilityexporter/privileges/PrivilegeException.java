package io.capabilityexporter.privileges;

/** Capabilities could not be set as asked; the message says which step failed and why. */
public final class PrivilegeException extends Exception {
  private static final long serialVersionUID = 1L;

  public PrivilegeException(String message) {
    super(message);
  }
}
