package io.capabilityexporter.files;

import java.io.IOException;

/** A file {@link UntrustedFile} refused; the message names the file, the fault and the fix. */
public final class UntrustedFileException extends IOException {
  private static final long serialVersionUID = 1L;

  /** What was wrong with it. */
  public enum Fault {
    NOT_REGULAR,
    TOO_LARGE,
    TOO_SLOW
  }

  private final Fault fault;

  UntrustedFileException(Fault fault, String message) {
    super(message);
    this.fault = fault;
  }

  public Fault fault() {
    return fault;
  }
}
