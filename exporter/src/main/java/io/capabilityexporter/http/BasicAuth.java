package io.capabilityexporter.http;

import at.favre.lib.crypto.bcrypt.BCrypt;
import io.vertx.core.Future;
import io.vertx.core.WorkerExecutor;
import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.Base64;
import java.util.Collections;
import java.util.HexFormat;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.atomic.AtomicInteger;

/**
 * basic_auth_users, as exporter-toolkit checks them: the password against the user's bcrypt hash. A
 * bcrypt check costs 50-100 ms of CPU (cost 10), so checks run one at a time on a thread of their
 * own, never on the event loop, at most {@link #MAX_WAITING} waiting (more are answered 503), and a
 * successful one is remembered (user, hash and password, as a SHA-256 digest) so that Prometheus
 * pays it once, not every scrape. An unknown user costs a bcrypt check too, so that timing does not
 * tell which users exist.
 */
final class BasicAuth {
  enum Verdict {
    ALLOWED,
    REFUSED,
    BUSY
  }

  /** exporter-toolkit's own stand-in: the bcrypt hash of "fakepassword", cost 10. */
  private static final String UNKNOWN_USER_HASH =
      "$2y$10$QOauhQNbBCuQDKes6eFzPeMqBSjb7Mr5DUmpZ/VcEd00UAV/LDeSi";

  static final int MAX_WAITING = 16;
  private static final int REMEMBERED = 100;

  private final WorkerExecutor bcryptThread;
  private final AtomicInteger waiting = new AtomicInteger();
  private final Set<String> verified =
      Collections.synchronizedSet(
          Collections.newSetFromMap(
              new LinkedHashMap<>(16, 0.75f, true) {
                @Override
                protected boolean removeEldestEntry(Map.Entry<String, Boolean> eldest) {
                  return size() > REMEMBERED;
                }
              }));

  BasicAuth(WorkerExecutor bcryptThread) {
    this.bcryptThread = bcryptThread;
  }

  /**
   * @param users user name to bcrypt hash
   * @param authorization the request's Authorization header, or null
   */
  Future<Verdict> check(Map<String, String> users, String authorization) {
    Credentials credentials = Credentials.of(authorization);
    if (credentials == null) {
      return Future.succeededFuture(Verdict.REFUSED);
    }
    String hash = users.get(credentials.user());
    boolean known = hash != null;
    String against = known ? hash : UNKNOWN_USER_HASH;
    String key = digest(credentials.user(), against, credentials.password());
    if (known && verified.contains(key)) {
      return Future.succeededFuture(Verdict.ALLOWED);
    }
    if (waiting.incrementAndGet() > MAX_WAITING) {
      waiting.decrementAndGet();
      return Future.succeededFuture(Verdict.BUSY);
    }
    return bcryptThread
        .executeBlocking(
            () -> {
              boolean matches = matches(credentials.password(), against);
              if (known && matches) {
                verified.add(key);
              }
              return known && matches ? Verdict.ALLOWED : Verdict.REFUSED;
            },
            false)
        .andThen(done -> waiting.decrementAndGet());
  }

  private static boolean matches(String password, String hash) {
    try {
      return BCrypt.verifyer()
          .verify(password.getBytes(StandardCharsets.UTF_8), hash.getBytes(StandardCharsets.UTF_8))
          .verified;
    } catch (IllegalArgumentException e) {
      return false; // longer than bcrypt's 72 bytes: no hash matches it
    }
  }

  private static String digest(String user, String hash, String password) {
    try {
      MessageDigest sha256 = MessageDigest.getInstance("SHA-256");
      for (String part : new String[] {user, hash, password}) {
        sha256.update(part.getBytes(StandardCharsets.UTF_8));
        sha256.update((byte) 0);
      }
      return HexFormat.of().formatHex(sha256.digest());
    } catch (NoSuchAlgorithmException e) {
      throw new IllegalStateException("every JVM has SHA-256", e);
    }
  }

  /** The user and password of an Authorization: Basic header. */
  record Credentials(String user, String password) {
    static Credentials of(String authorization) {
      if (authorization == null || authorization.length() < 6) {
        return null;
      }
      if (!authorization.regionMatches(true, 0, "Basic ", 0, 6)) {
        return null;
      }
      String decoded;
      try {
        decoded =
            new String(
                Base64.getDecoder().decode(authorization.substring(6).strip()),
                StandardCharsets.UTF_8);
      } catch (IllegalArgumentException e) {
        return null;
      }
      int colon = decoded.indexOf(':');
      return colon < 0
          ? null
          : new Credentials(decoded.substring(0, colon), decoded.substring(colon + 1));
    }
  }
}
