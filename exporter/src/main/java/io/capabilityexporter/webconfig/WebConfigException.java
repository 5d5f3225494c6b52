package io.capabilityexporter.webconfig;

/**
 * A web config that cannot be used; the message names the file, the line, the field and the fix:
 *
 * <pre>
 * web.yml:3: tls_server_config.min_version: "TLS14" is not a TLS version: write TLS12 or TLS13
 * </pre>
 */
public final class WebConfigException extends Exception {
  private static final long serialVersionUID = 1L;

  public WebConfigException(String message) {
    super(message);
  }
}
