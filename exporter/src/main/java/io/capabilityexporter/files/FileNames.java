package io.capabilityexporter.files;

import java.io.ByteArrayOutputStream;
import java.nio.ByteBuffer;
import java.nio.CharBuffer;
import java.nio.charset.CharsetDecoder;
import java.nio.charset.CoderResult;
import java.nio.charset.CodingErrorAction;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * File names as the kernel has them, bytes, as text that names each one apart. Java turns a name
 * into text with the JVM's file name encoding, fixed from the locale at start: with no LANG (a
 * container) that is ASCII, so {@code rel-é} reads {@code rel-\uFFFD\uFFFD}, and any two names that
 * differ only in their non-ASCII bytes read the same. Here a name is decoded from its own bytes.
 */
public final class FileNames {
  /** A backslash a reader would take for one of the escapes {@link #text} writes. */
  private static final Pattern LOOKS_ESCAPED = Pattern.compile("\\\\(?=x(?:[89a-f][0-9a-f]|5c))");

  private FileNames() {}

  /**
   * The name as UTF-8 text, which is what cgroup and container names are in practice. A byte that
   * is not part of valid UTF-8 is written {@code \xNN} (lowercase hex, always 80-ff), and a
   * backslash that would read as such an escape, followed by {@code x} and {@code 80}-{@code ff} or
   * {@code 5c}, is itself written {@code \x5c}: two different names never give the same text. Any
   * other name reads as it is, systemd's own escapes such as {@code \x2d} included.
   */
  public static String text(byte[] name) {
    CharsetDecoder utf8 =
        StandardCharsets.UTF_8
            .newDecoder()
            .onMalformedInput(CodingErrorAction.REPORT)
            .onUnmappableCharacter(CodingErrorAction.REPORT);
    ByteBuffer in = ByteBuffer.wrap(name);
    CharBuffer decoded = CharBuffer.allocate(name.length);
    StringBuilder text = new StringBuilder(name.length);
    while (true) {
      CoderResult result = utf8.decode(in, decoded, true);
      text.append(escapeBackslashes(decoded.flip()));
      decoded.clear();
      if (!result.isError()) {
        return text.toString();
      }
      for (int i = 0; i < result.length(); i++) {
        text.append(String.format("\\x%02x", in.get() & 0xff));
      }
    }
  }

  private static String escapeBackslashes(CharSequence valid) {
    return LOOKS_ESCAPED.matcher(valid).replaceAll(Matcher.quoteReplacement("\\x5c"));
  }

  /**
   * The last element of {@code path} as {@link #text}, from its bytes, whatever the JVM's file name
   * encoding: for the paths a directory listing gives, which hold the bytes the kernel gave.
   */
  public static String name(Path path) {
    String decoded = path.getFileName().toString();
    if (decoded.chars().allMatch(c -> c < 0x80)) {
      return text(decoded.getBytes(StandardCharsets.US_ASCII)); // ASCII decodes exactly
    }
    // The file URI holds every byte of the path, percent-encoded where not ASCII.
    String uri = path.toAbsolutePath().toUri().getRawPath();
    int end = uri.endsWith("/") ? uri.length() - 1 : uri.length(); // a directory's has a slash
    return text(percentDecoded(uri.substring(uri.lastIndexOf('/', end - 1) + 1, end)));
  }

  private static byte[] percentDecoded(String raw) {
    ByteArrayOutputStream bytes = new ByteArrayOutputStream(raw.length());
    for (int i = 0; i < raw.length(); i++) {
      char c = raw.charAt(i);
      if (c == '%' && i + 2 < raw.length()) {
        bytes.write(Integer.parseInt(raw.substring(i + 1, i + 3), 16));
        i += 2;
      } else {
        bytes.write(c);
      }
    }
    return bytes.toByteArray();
  }
}
