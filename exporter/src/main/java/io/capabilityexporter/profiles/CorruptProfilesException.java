package io.capabilityexporter.profiles;

/** The profiles file is not one this exporter wrote: the message names the first fault found. */
public final class CorruptProfilesException extends Exception {
  private static final long serialVersionUID = 1L;

  CorruptProfilesException(String message) {
    super(message);
  }

  CorruptProfilesException(String message, Throwable cause) {
    super(message, cause);
  }
}
