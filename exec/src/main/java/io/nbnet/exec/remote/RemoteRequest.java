package io.nbnet.exec.remote;

import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;

import java.util.ArrayList;
import java.util.List;
import java.util.Set;

/**
 * What a remote client may ask: an argv (or one shell line), its token, and lower limits. Nothing in
 * it may change which code runs: a request naming {@code env}, {@code cwd} or any other key is refused.
 */
record RemoteRequest(List<String> argv, boolean shell, String token, long timeoutMillis, int maxOutputBytes) {

  private static final Set<String> KEYS = Set.of("argv", "shell", "token", "timeoutMs", "maxOutputBytes");

  /** Refused rather than invalid: a well-formed request asking for something it may not have. */
  static final class NotAllowedKeyException extends RuntimeException {
    NotAllowedKeyException(String message) {
      super(message, null, false, false);
    }
  }

  /**
   * @throws IllegalArgumentException when the request is malformed
   * @throws NotAllowedKeyException   when it carries a key a client may not set
   */
  static RemoteRequest parse(JsonObject json, long maxTimeoutMillis, int maxOutputBytes) {
    for (String key : json.fieldNames()) {
      if (!KEYS.contains(key)) {
        throw new NotAllowedKeyException("a remote request may not set \"" + key + "\" (allowed: argv, shell, token, timeoutMs,"
          + " maxOutputBytes; the environment and working directory come from the allow-list)");
      }
    }
    if (!(json.getValue("argv") instanceof JsonArray argv) || argv.isEmpty()) {
      throw new IllegalArgumentException("\"argv\" must be a non-empty array of strings");
    }
    List<String> words = new ArrayList<>();
    for (Object word : argv) {
      if (!(word instanceof String text)) {
        throw new IllegalArgumentException("\"argv\" must be a non-empty array of strings");
      }
      if (text.indexOf('\0') >= 0) {
        throw new IllegalArgumentException("\"argv\" must not contain a NUL character");
      }
      words.add(text);
    }
    boolean shell = json.getValue("shell") instanceof Boolean flag && flag;
    if (shell && words.size() != 1) {
      throw new IllegalArgumentException("a shell request carries one command line");
    }
    Object token = json.getValue("token");
    long timeout = Math.max(1, Math.min(json.getValue("timeoutMs") instanceof Number n ? n.longValue() : maxTimeoutMillis, maxTimeoutMillis));
    int output = (int) Math.max(0, Math.min(json.getValue("maxOutputBytes") instanceof Number n ? n.longValue() : maxOutputBytes,
      maxOutputBytes));
    return new RemoteRequest(List.copyOf(words), shell, token instanceof String text ? text : null, timeout, output);
  }
}
