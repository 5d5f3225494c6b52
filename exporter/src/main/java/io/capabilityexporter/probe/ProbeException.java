package io.capabilityexporter.probe;

/** The probe cannot run here; the message says what is missing and how to fix it. */
public final class ProbeException extends Exception {
  private static final long serialVersionUID = 1L;

  public ProbeException(String message) {
    super(message);
  }
}
