package io.capabilityexporter.logs;

import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * The secrets an OTLP endpoint may carry, {@code https://user:password@host:4318/v1/logs?key=API},
 * kept out of log and error lines: the user information and the query's values read {@code ***}
 * wherever they appear, in a URL or as the SDK quotes them ({@code must not have a query string:
 * key=***}). Only those values are hidden, so the rest of a message still says what is wrong.
 */
final class EndpointSecrets {
  private static final List<String> ENDPOINTS =
      List.of("OTEL_EXPORTER_OTLP_ENDPOINT", "OTEL_EXPORTER_OTLP_LOGS_ENDPOINT");

  private final List<Pattern> secrets;

  private EndpointSecrets(List<Pattern> secrets) {
    this.secrets = secrets;
  }

  /** The secrets of the endpoints {@code env} configures. */
  static EndpointSecrets of(Map<String, String> env) {
    List<Pattern> secrets = new ArrayList<>();
    for (String variable : ENDPOINTS) {
      String endpoint = env.get(variable);
      if (endpoint != null) {
        add(endpoint.strip(), secrets);
      }
    }
    return new EndpointSecrets(List.copyOf(secrets));
  }

  private static void add(String endpoint, List<Pattern> secrets) {
    // By hand, not with URI: an endpoint the SDK refuses as no URL is quoted all the same.
    int scheme = endpoint.indexOf("://");
    int authority = scheme < 0 ? 0 : scheme + 3;
    int end = endAt(endpoint, authority, "/?#");
    int at = endpoint.lastIndexOf('@', end - 1);
    if (at > authority) {
      // user:password before the '@': the '@' after it is what marks it as user information.
      secrets.add(Pattern.compile(Pattern.quote(endpoint.substring(authority, at)) + "(?=@)"));
    }
    int query = endpoint.indexOf('?');
    if (query < 0) {
      return;
    }
    String rawQuery = endpoint.substring(query + 1, endAt(endpoint, query + 1, "#"));
    for (String parameter : rawQuery.split("&")) {
      int equals = parameter.indexOf('=');
      if (equals >= 0 && equals + 1 < parameter.length()) {
        String value = Pattern.quote(parameter.substring(equals + 1));
        secrets.add(Pattern.compile("(?<==)" + value + "(?=[&#\\s]|$)"));
      }
    }
  }

  private static int endAt(String text, int from, String delimiters) {
    for (int i = from; i < text.length(); i++) {
      if (delimiters.indexOf(text.charAt(i)) >= 0) {
        return i;
      }
    }
    return text.length();
  }

  /** {@code text} with every secret as {@code ***}. */
  String redact(String text) {
    String redacted = text;
    for (Pattern secret : secrets) {
      redacted = secret.matcher(redacted).replaceAll(Matcher.quoteReplacement("***"));
    }
    return redacted;
  }
}
