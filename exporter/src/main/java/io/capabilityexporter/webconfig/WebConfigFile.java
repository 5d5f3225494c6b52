package io.capabilityexporter.webconfig;

import at.favre.lib.crypto.bcrypt.BCrypt;
import at.favre.lib.crypto.bcrypt.IllegalBCryptFormatException;
import io.capabilityexporter.yaml.Suggestion;
import io.capabilityexporter.yaml.YamlReader;
import java.nio.ByteBuffer;
import java.nio.charset.CharacterCodingException;
import java.nio.charset.CodingErrorAction;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.stream.Stream;
import org.yaml.snakeyaml.nodes.Node;

/**
 * Reads and checks a web config the way exporter-toolkit does (unknown keys, bad names, unusable
 * certificates are errors; relative file names are relative to the config's directory), reading the
 * files it names too, so that what is checked is what is served. Where Java cannot do what Go
 * would, it refuses, naming the field, rather than serve something else.
 */
public final class WebConfigFile {
  private static final List<String> TOP =
      List.of("tls_server_config", "http_server_config", "basic_auth_users", "rate_limit");

  /** tls_server_config's fields that take a string, read alike. */
  private static final List<String> TLS_STRINGS =
      List.of(
          "cert",
          "key",
          "client_ca",
          "cert_file",
          "key_file",
          "client_auth_type",
          "client_ca_file",
          "min_version",
          "max_version");

  private static final List<String> TLS =
      Stream.concat(
              TLS_STRINGS.stream(),
              Stream.of(
                  "client_allowed_sans",
                  "cipher_suites",
                  "prefer_server_cipher_suites",
                  "curve_preferences"))
          .toList();
  private static final List<String> HTTP = List.of("http2", "headers");
  private static final List<String> RATE_LIMIT = List.of("interval", "burst");

  /** exporter-toolkit's headers, and the values it allows where it limits them. */
  private static final Map<String, List<String>> HEADERS =
      Map.of(
          "Strict-Transport-Security", List.of(),
          "X-Content-Type-Options", List.of("nosniff"),
          "X-Frame-Options", List.of("deny", "sameorigin"),
          "X-XSS-Protection", List.of(),
          "Content-Security-Policy", List.of());

  private static final Pattern GO_DURATION =
      Pattern.compile("(\\d+(?:\\.\\d+)?)(ns|us|µs|ms|s|m|h)");

  private final Path file;
  private final YamlReader<WebConfigException> yaml;
  private final List<Path> files = new ArrayList<>();

  private WebConfigFile(Path file) {
    this.file = file;
    this.yaml = new YamlReader<>(file.toString(), WebConfigException::new);
    files.add(file);
  }

  /** Reads {@code file} and everything it names. */
  public static WebConfig load(Path file) throws WebConfigException {
    WebConfigFile reader = new WebConfigFile(file);
    return reader.config(
        reader.yaml.compose(text(BoundedRead.read(file, file.toString()), file.toString())));
  }

  private static String text(byte[] bytes, String what) throws WebConfigException {
    try {
      return StandardCharsets.UTF_8
          .newDecoder()
          .onMalformedInput(CodingErrorAction.REPORT)
          .decode(ByteBuffer.wrap(bytes))
          .toString();
    } catch (CharacterCodingException e) {
      throw new WebConfigException(what + ": not UTF-8 text");
    }
  }

  private WebConfig config(Node root) throws WebConfigException {
    // An empty file is a valid config, as for exporter-toolkit: plain HTTP, no authentication.
    Map<String, Node> top = yaml.optionalMapping(root, "", TOP);
    Map<String, Node> http =
        yaml.optionalMapping(top.get("http_server_config"), "http_server_config", HTTP);
    boolean http2 =
        !http.containsKey("http2") || yaml.bool(http.get("http2"), "http_server_config.http2");
    Optional<TlsConfig> tls = tls(top.get("tls_server_config"), http2);
    return new WebConfig(
        tls,
        http2,
        headers(http.get("headers")),
        users(top.get("basic_auth_users")),
        rateLimit(top.get("rate_limit")),
        files);
  }

  private Optional<TlsConfig> tls(Node node, boolean http2) throws WebConfigException {
    String path = "tls_server_config";
    Map<String, Node> fields = yaml.optionalMapping(node, path, TLS);
    Map<String, String> text = new LinkedHashMap<>();
    for (String key : TLS_STRINGS) {
      text.put(key, yaml.string(fields.get(key), YamlReader.field(path, key), "a string"));
    }
    boolean enabled =
        !text.get("cert").isEmpty()
            || !text.get("key").isEmpty()
            || !text.get("cert_file").isEmpty()
            || !text.get("key_file").isEmpty()
            || !text.get("client_ca").isEmpty()
            || !text.get("client_ca_file").isEmpty()
            || !text.get("client_auth_type").isEmpty();
    if (!enabled) {
      if (!fields.isEmpty() && !fields.values().stream().allMatch(YamlReader::isNull)) {
        // exporter-toolkit would serve plain HTTP and ignore these: say so instead.
        throw yaml.error(
            node,
            path,
            "gives no certificate, so TLS would be off and "
                + String.join(", ", fields.keySet())
                + " ignored: add cert_file and key_file, or remove tls_server_config");
      }
      return Optional.empty();
    }
    String certificate = pem(node, fields, text, "cert", "cert_file", true);
    String key = pem(node, fields, text, "key", "key_file", true);
    try {
      TlsCheck.keyPair(
          certificate, key, where(fields, "cert", "cert_file"), where(fields, "key", "key_file"));
    } catch (WebConfigException e) {
      throw yaml.error(node, "", e.getMessage());
    }
    Optional<String> clientCa =
        text.get("client_ca").isEmpty() && text.get("client_ca_file").isEmpty()
            ? Optional.empty()
            : Optional.of(pem(node, fields, text, "client_ca", "client_ca_file", false));
    if (clientCa.isPresent()) {
      try {
        TlsCheck.certificates(clientCa.get(), where(fields, "client_ca", "client_ca_file"));
      } catch (WebConfigException e) {
        throw yaml.error(node, "", e.getMessage());
      }
    }
    ClientAuthType clientAuth =
        clientAuth(fields.get("client_auth_type"), text.get("client_auth_type"));
    if (clientCa.isPresent() && clientAuth == ClientAuthType.NoClientCert) {
      throw yaml.error(
          fields.getOrDefault("client_ca_file", fields.get("client_ca")),
          path,
          "a client CA is given without client_auth_type (exporter-toolkit: \"client CA's have been"
              + " configured without a Client Auth Policy\"): set client_auth_type:"
              + " RequireAndVerifyClientCert");
    }
    List<String> sans =
        yaml.strings(fields.get("client_allowed_sans"), path + ".client_allowed_sans", "names");
    if (!sans.isEmpty() && clientAuth == ClientAuthType.NoClientCert) {
      throw yaml.error(
          fields.get("client_allowed_sans"),
          path + ".client_allowed_sans",
          "needs client certificates: set client_auth_type: RequireAndVerifyClientCert");
    }
    int min = version(fields.get("min_version"), text.get("min_version"), "min_version", "TLS12");
    int max = version(fields.get("max_version"), text.get("max_version"), "max_version", "TLS13");
    if (max < min) {
      throw yaml.error(
          fields.get("max_version"),
          path + ".max_version",
          TlsNames.VERSIONS.get(max)
              + " is below min_version "
              + TlsNames.VERSIONS.get(min)
              + ": no connection could be made; raise max_version");
    }
    List<String> protocols = new ArrayList<>();
    for (int v = min; v <= max; v++) {
      protocols.add(TlsNames.JAVA_VERSIONS.get(TlsNames.VERSIONS.get(v)));
    }
    List<String> suites = cipherSuites(fields.get("cipher_suites"), http2, max);
    if (fields.containsKey("prefer_server_cipher_suites")) {
      // Accepted and, as in Go since 1.17, without effect.
      yaml.bool(fields.get("prefer_server_cipher_suites"), path + ".prefer_server_cipher_suites");
    }
    List<String> groups = new ArrayList<>();
    for (String curve :
        yaml.strings(fields.get("curve_preferences"), path + ".curve_preferences", "curve names")) {
      String group = TlsNames.CURVES.get(curve);
      if (group == null) {
        throw yaml.error(
            fields.get("curve_preferences"),
            path + ".curve_preferences",
            "\""
                + curve
                + "\" is not a curve: write "
                + String.join(", ", TlsNames.CURVES.keySet()));
      }
      groups.add(group);
    }
    return Optional.of(
        new TlsConfig(certificate, key, clientCa, clientAuth, sans, protocols, suites, groups));
  }

  private static String where(Map<String, Node> fields, String inline, String fileKey) {
    return "tls_server_config." + (fields.containsKey(fileKey) ? fileKey : inline);
  }

  /** The PEM text given inline or in a file (relative to the config's directory). */
  private String pem(
      Node tls,
      Map<String, Node> fields,
      Map<String, String> text,
      String inline,
      String fileKey,
      boolean required)
      throws WebConfigException {
    String path = "tls_server_config";
    boolean hasInline = !text.get(inline).isEmpty();
    boolean hasFile = !text.get(fileKey).isEmpty();
    if (hasInline && hasFile) {
      throw yaml.error(
          fields.get(fileKey), path + "." + fileKey, "given with " + inline + ": give one of them");
    }
    if (!hasInline && !hasFile) {
      if (required) {
        throw yaml.error(
            tls,
            path,
            "missing one of " + inline + " or " + fileKey + ": name the PEM file in " + fileKey);
      }
      return "";
    }
    if (hasInline) {
      return text.get(inline);
    }
    Path named = file.toAbsolutePath().getParent().resolve(text.get(fileKey));
    files.add(named);
    int line = fields.get(fileKey).getStartMark().getLine() + 1;
    try {
      return text(BoundedRead.read(named, named.toString()), named.toString());
    } catch (WebConfigException e) {
      throw yaml.error(line, path + "." + fileKey, e.getMessage());
    }
  }

  private ClientAuthType clientAuth(Node node, String name) throws WebConfigException {
    if (name.isEmpty()) {
      return ClientAuthType.NoClientCert;
    }
    Optional<ClientAuthType> type = ClientAuthType.named(name);
    if (type.isEmpty()) {
      List<String> names =
          java.util.Arrays.stream(ClientAuthType.values()).map(Enum::name).toList();
      String suggestion = Suggestion.didYouMean(name, names);
      throw yaml.error(
          node,
          "tls_server_config.client_auth_type",
          "\""
              + name
              + "\" is not a client auth type"
              + (suggestion.isEmpty() ? ": write one of " + String.join(", ", names) : suggestion));
    }
    return type.get();
  }

  /** The version's index in {@link TlsNames#VERSIONS}. */
  private int version(Node node, String name, String key, String fallback)
      throws WebConfigException {
    String path = "tls_server_config." + key;
    String version = name.isEmpty() ? fallback : name;
    int index = TlsNames.VERSIONS.indexOf(version);
    if (index < 0) {
      throw yaml.error(node, path, "\"" + name + "\" is not a TLS version: write TLS12 or TLS13");
    }
    if (!TlsNames.JAVA_VERSIONS.containsKey(version)) {
      throw yaml.error(
          node,
          path,
          version
              + " is not served: Java 17 disables TLS 1.0 and 1.1 (jdk.tls.disabledAlgorithms);"
              + " write TLS12 or TLS13");
    }
    return index;
  }

  private List<String> cipherSuites(Node node, boolean http2, int maxVersion)
      throws WebConfigException {
    String path = "tls_server_config.cipher_suites";
    List<String> suites = new ArrayList<>();
    for (String name : yaml.strings(node, path, "cipher suite names")) {
      if (TlsNames.TLS13_SUITES.contains(name)) {
        continue;
      }
      if (!TlsNames.TLS12_SUITES.contains(name)) {
        String suggestion = Suggestion.didYouMean(name, TlsNames.TLS12_SUITES);
        throw yaml.error(
            node,
            path,
            "\""
                + name
                + "\" is not a cipher suite Go offers"
                + (suggestion.isEmpty()
                    ? ": write names such as TLS_ECDHE_RSA_WITH_AES_128_GCM_SHA256"
                    : suggestion));
      }
      suites.add(name);
    }
    if (!suites.isEmpty()
        && http2
        && maxVersion < TlsNames.VERSIONS.indexOf("TLS13")
        && suites.stream().noneMatch(TlsNames.HTTP2_REQUIRED_SUITES::contains)) {
      throw yaml.error(
          node,
          path,
          "HTTP/2 needs TLS_ECDHE_RSA_WITH_AES_128_GCM_SHA256 or"
              + " TLS_ECDHE_ECDSA_WITH_AES_128_GCM_SHA256 (Go's http2 refuses to start without):"
              + " add one, or set http_server_config.http2: false");
    }
    return suites;
  }

  private Map<String, String> headers(Node node) throws WebConfigException {
    String path = "http_server_config.headers";
    Map<String, String> headers = new LinkedHashMap<>();
    for (Map.Entry<String, Node> header :
        yaml.optionalMapping(node, path, List.copyOf(new java.util.TreeSet<>(HEADERS.keySet())))
            .entrySet()) {
      String name = header.getKey();
      String value = yaml.string(header.getValue(), YamlReader.field(path, name), "a string");
      List<String> allowed = HEADERS.get(name);
      if (!allowed.isEmpty() && !allowed.contains(value)) {
        throw yaml.error(
            header.getValue(),
            YamlReader.field(path, name),
            "\"" + value + "\" is not allowed: write " + String.join(" or ", allowed));
      }
      if (!value.isEmpty()) {
        headers.put(name, value);
      }
    }
    return headers;
  }

  private Map<String, String> users(Node node) throws WebConfigException {
    String path = "basic_auth_users";
    Map<String, String> users = new LinkedHashMap<>();
    for (Map.Entry<String, Node> user : yaml.optionalMapping(node, path, null).entrySet()) {
      String field = YamlReader.field(path, user.getKey());
      String hash = yaml.string(user.getValue(), field, "a bcrypt hash");
      try {
        BCrypt.Version.VERSION_2A.parser.parse(hash.getBytes(StandardCharsets.UTF_8));
      } catch (IllegalBCryptFormatException | RuntimeException e) {
        throw yaml.error(
            user.getValue(),
            field,
            "not a bcrypt hash ($2y$10$ and 53 more characters): make one with"
                + " `htpasswd -nBC 10 \"\" | tr -d ':\\n'`");
      }
      users.put(user.getKey(), hash);
    }
    return users;
  }

  private Optional<WebConfig.RateLimit> rateLimit(Node node) throws WebConfigException {
    String path = "rate_limit";
    Map<String, Node> fields = yaml.optionalMapping(node, path, RATE_LIMIT);
    Duration interval = Duration.ZERO;
    if (fields.containsKey("interval")) {
      String text = yaml.string(fields.get("interval"), path + ".interval", "a duration");
      interval = goDuration(text, fields.get("interval"), path + ".interval");
    }
    int burst = 0;
    if (fields.containsKey("burst")) {
      String text = yaml.string(fields.get("burst"), path + ".burst", "a whole number");
      try {
        burst = Integer.parseInt(text);
      } catch (NumberFormatException e) {
        burst = -1;
      }
      if (burst < 0) {
        throw yaml.error(
            fields.get("burst"),
            path + ".burst",
            "\"" + text + "\" is not a whole number of requests");
      }
    }
    return interval.isZero()
        ? Optional.empty()
        : Optional.of(new WebConfig.RateLimit(interval, burst));
  }

  /** A Go duration: 1s, 500ms, 1m30s; 0 alone. */
  private Duration goDuration(String text, Node node, String path) throws WebConfigException {
    if (text.equals("0")) {
      return Duration.ZERO;
    }
    Matcher part = GO_DURATION.matcher(text);
    double nanos = 0;
    int end = 0;
    while (part.find() && part.start() == end) {
      double amount = Double.parseDouble(part.group(1));
      nanos +=
          amount
              * switch (part.group(2)) {
                case "ns" -> 1;
                case "us", "µs" -> 1e3;
                case "ms" -> 1e6;
                case "s" -> 1e9;
                case "m" -> 60e9;
                default -> 3600e9;
              };
      end = part.end();
    }
    if (end == 0 || end != text.length()) {
      throw yaml.error(
          node, path, "\"" + text + "\" is not a duration: write it as 1s, 500ms or 1m");
    }
    return Duration.ofNanos((long) nanos);
  }
}
