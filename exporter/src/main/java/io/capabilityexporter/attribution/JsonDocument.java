package io.capabilityexporter.attribution;

import java.math.BigDecimal;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;

/**
 * A whole JSON document as maps, lists, strings, numbers (BigDecimal), booleans and null, for files
 * that are untrusted input: nesting deeper than a cap, trailing text, or anything malformed yields
 * empty. No JSON library is among the exporter's own dependencies; the callers bound the text's
 * size before parsing.
 */
final class JsonDocument {
  private final String json;
  private final int maxDepth;
  private int pos;

  private JsonDocument(String json, int maxDepth) {
    this.json = json;
    this.maxDepth = maxDepth;
  }

  static Optional<Object> parse(String json, int maxDepth) {
    try {
      JsonDocument document = new JsonDocument(json, maxDepth);
      Object value = document.value(0);
      document.skipWhitespace();
      return document.pos == json.length() ? Optional.ofNullable(value) : Optional.empty();
    } catch (IllegalArgumentException | IndexOutOfBoundsException e) {
      return Optional.empty();
    }
  }

  private Object value(int depth) {
    if (depth > maxDepth) {
      throw new IllegalArgumentException("too deep");
    }
    skipWhitespace();
    char c = json.charAt(pos);
    switch (c) {
      case '{':
        return object(depth);
      case '[':
        return array(depth);
      case '"':
        pos++;
        return string();
      default:
        return literal();
    }
  }

  private Map<String, Object> object(int depth) {
    Map<String, Object> object = new LinkedHashMap<>();
    pos++;
    skipWhitespace();
    if (json.charAt(pos) == '}') {
      pos++;
      return object;
    }
    while (true) {
      skipWhitespace();
      expect('"');
      String key = string();
      skipWhitespace();
      expect(':');
      object.put(key, value(depth + 1));
      skipWhitespace();
      if (json.charAt(pos) == ',') {
        pos++;
      } else {
        expect('}');
        return object;
      }
    }
  }

  private List<Object> array(int depth) {
    List<Object> array = new ArrayList<>();
    pos++;
    skipWhitespace();
    if (json.charAt(pos) == ']') {
      pos++;
      return array;
    }
    while (true) {
      array.add(value(depth + 1));
      skipWhitespace();
      if (json.charAt(pos) == ',') {
        pos++;
      } else {
        expect(']');
        return array;
      }
    }
  }

  /** true, false, null, or a number. */
  private Object literal() {
    int start = pos;
    while (pos < json.length() && "+-.0123456789eE".indexOf(json.charAt(pos)) >= 0) {
      pos++;
    }
    if (pos > start) {
      return new BigDecimal(json.substring(start, pos)); // NumberFormatException when malformed
    }
    for (String word : new String[] {"true", "false", "null"}) {
      if (json.startsWith(word, pos)) {
        pos += word.length();
        return word.equals("null") ? null : Boolean.valueOf(word);
      }
    }
    throw new IllegalArgumentException("unexpected " + json.charAt(pos));
  }

  private void expect(char c) {
    if (json.charAt(pos++) != c) {
      throw new IllegalArgumentException("expected " + c);
    }
  }

  /** Reads the rest of a string whose opening quote was consumed, decoding escapes. */
  private String string() {
    StringBuilder out = new StringBuilder();
    while (true) {
      char c = json.charAt(pos++);
      if (c == '"') {
        return out.toString();
      }
      if (c < 0x20) {
        throw new IllegalArgumentException("control character in a string");
      }
      if (c != '\\') {
        out.append(c);
        continue;
      }
      char e = json.charAt(pos++);
      switch (e) {
        case '"', '\\', '/' -> out.append(e);
        case 'b' -> out.append('\b');
        case 'f' -> out.append('\f');
        case 'n' -> out.append('\n');
        case 'r' -> out.append('\r');
        case 't' -> out.append('\t');
        case 'u' -> {
          out.append((char) Integer.parseInt(json.substring(pos, pos + 4), 16));
          pos += 4;
        }
        default -> throw new IllegalArgumentException("bad escape");
      }
    }
  }

  private void skipWhitespace() {
    while (pos < json.length() && " \t\r\n".indexOf(json.charAt(pos)) >= 0) {
      pos++;
    }
  }
}
