package io.capabilityexporter.http;

import java.io.IOException;
import java.io.OutputStream;

/** A JSON answer written as it is made, rather than built as a string first. */
@FunctionalInterface
public interface JsonBody {
  void writeTo(OutputStream out) throws IOException;

  /** All of it as a string, for callers that want it whole. */
  default String text() throws IOException {
    java.io.ByteArrayOutputStream out = new java.io.ByteArrayOutputStream();
    writeTo(out);
    return out.toString(java.nio.charset.StandardCharsets.UTF_8);
  }
}
