package io.capabilityexporter.http;

/**
 * Where to serve ({@code --web.listen-address}): {@code HOST:PORT}, {@code :PORT} (all interfaces)
 * or {@code [::1]:PORT}.
 */
public record ListenAddress(String host, int port) {

  /**
   * @throws IllegalArgumentException "VALUE is invalid: why; expected HOST:PORT, e.g. ..."
   */
  public static ListenAddress parse(String value) {
    int colon = value.lastIndexOf(':');
    if (colon < 0) {
      throw invalid(value, "it has no port");
    }
    String host = value.substring(0, colon);
    if (host.startsWith("[") && host.endsWith("]")) {
      host = host.substring(1, host.length() - 1);
    } else if (host.contains(":")) {
      throw invalid(value, "write an IPv6 host in brackets, as [::1]:9741");
    }
    int port;
    try {
      port = Integer.parseInt(value.substring(colon + 1));
    } catch (NumberFormatException e) {
      throw invalid(value, "the port is not a number");
    }
    if (port < 0 || port > 65535) {
      throw invalid(value, "the port is not between 0 and 65535");
    }
    if (!host.matches("[A-Za-z0-9.:%_-]*")) {
      throw invalid(value, "the host is not a name or an address");
    }
    return new ListenAddress(host.isEmpty() ? "0.0.0.0" : host, port);
  }

  /** As a URL names it: an IPv6 address in brackets ({@code [::1]:9741}). */
  public String authority(int boundPort) {
    return (host.contains(":") ? "[" + host + "]" : host) + ":" + boundPort;
  }

  private static IllegalArgumentException invalid(String value, String why) {
    return new IllegalArgumentException(
        value + " is invalid: " + why + "; expected HOST:PORT, e.g." + " 127.0.0.1:9741 or :9741");
  }
}
