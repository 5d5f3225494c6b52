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
  private final String problem;

  UntrustedFileException(Fault fault, String problem, String message) {
    super(message);
    this.fault = fault;
    this.problem = problem;
  }

  public Fault fault() {
    return fault;
  }

  /** The fault in words, without the file or the fix: {@code a FIFO, not a regular file}. */
  public String problem() {
    return problem;
  }
}
