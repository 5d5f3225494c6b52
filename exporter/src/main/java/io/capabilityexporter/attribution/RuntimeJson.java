package io.capabilityexporter.attribution;

import com.fasterxml.jackson.core.JsonFactory;
import com.fasterxml.jackson.core.JsonParser;
import com.fasterxml.jackson.core.StreamReadConstraints;
import com.fasterxml.jackson.databind.DeserializationFeature;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.io.IOException;
import java.util.Optional;

/**
 * The container runtimes' own JSON files (Docker's config.v2.json, containers/storage's
 * containers.json), parsed as the untrusted input they are: with a nesting cap, and refused whole
 * when not exactly one well-formed document (trailing garbage, a key given twice), so no value is
 * taken from a half-understood file.
 */
final class RuntimeJson {
  private RuntimeJson() {}

  /** The document, or empty when it is not well-formed or nests deeper than {@code maxDepth}. */
  static Optional<JsonNode> parse(byte[] bytes, int maxDepth) {
    JsonFactory factory =
        JsonFactory.builder()
            .streamReadConstraints(
                StreamReadConstraints.builder().maxNestingDepth(maxDepth).build())
            .build()
            .enable(JsonParser.Feature.STRICT_DUPLICATE_DETECTION);
    ObjectMapper mapper =
        new ObjectMapper(factory).enable(DeserializationFeature.FAIL_ON_TRAILING_TOKENS);
    try {
      return Optional.ofNullable(mapper.readTree(bytes));
    } catch (IOException | RuntimeException e) {
      return Optional.empty();
    }
  }
}
