package io.capabilityexporter.attribution;

import java.util.Optional;

/**
 * Reads one string member of a JSON document's top-level object and nothing else. No JSON library
 * is on the classpath, and a regex would also match the same key nested deeper (Docker's
 * MountPoints and user-set labels carry "Name" keys too), so this skips nested values properly.
 * Anything malformed yields empty.
 */
final class JsonTopLevel {
  private final String json;
  private int pos;

  private JsonTopLevel(String json) {
    this.json = json;
  }

  static Optional<String> string(String json, String key) {
    try {
      return new JsonTopLevel(json).find(key);
    } catch (IllegalArgumentException | IndexOutOfBoundsException e) {
      return Optional.empty();
    }
  }

  private Optional<String> find(String key) {
    skipWhitespace();
    if (json.charAt(pos++) != '{') {
      return Optional.empty();
    }
    int depth = 1;
    while (depth > 0) {
      char c = json.charAt(pos++);
      if (c == '{' || c == '[') {
        depth++;
      } else if (c == '}' || c == ']') {
        depth--;
      } else if (c == '"') {
        String text = readString();
        skipWhitespace();
        if (depth == 1 && json.charAt(pos) == ':' && text.equals(key)) {
          pos++;
          skipWhitespace();
          return json.charAt(pos++) == '"' ? Optional.of(readString()) : Optional.empty();
        }
      }
    }
    return Optional.empty();
  }

  /** Reads the rest of a string whose opening quote was consumed, decoding escapes. */
  private String readString() {
    StringBuilder out = new StringBuilder();
    while (true) {
      char c = json.charAt(pos++);
      if (c == '"') {
        return out.toString();
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
    while (pos < json.length() && Character.isWhitespace(json.charAt(pos))) {
      pos++;
    }
  }
}
