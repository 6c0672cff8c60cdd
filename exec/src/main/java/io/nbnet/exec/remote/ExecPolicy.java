package io.nbnet.exec.remote;

import io.nbnet.support.config.ConfigException;
import io.nbnet.support.config.ConfigView;
import io.nbnet.exec.CommandRequest;
import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;

import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.util.ArrayList;
import java.util.List;

/**
 * Who may run what through a frame port. Off unless {@code enabled}. An allow-list entry is either
 * {@code {"argv": ["df", "-h"]}}: the request's argv must start with exactly these words, and runs
 * without a shell; or {@code {"shell": "uptime; free -m"}}: a request with {@code "shell": true} must
 * carry exactly this command line. With a {@code token}, requests must present it.
 */
public final class ExecPolicy {

  private final boolean enabled;
  private final String token;
  private final List<List<String>> argvPrefixes;
  private final List<String> shellLines;

  private ExecPolicy(boolean enabled, String token, List<List<String>> argvPrefixes, List<String> shellLines) {
    this.enabled = enabled;
    this.token = token;
    this.argvPrefixes = argvPrefixes;
    this.shellLines = shellLines;
  }

  public static ExecPolicy disabled() {
    return new ExecPolicy(false, null, List.of(), List.of());
  }

  public static ExecPolicy allowing(List<List<String>> argvPrefixes, List<String> shellLines, String token) {
    return new ExecPolicy(true, token, List.copyOf(argvPrefixes), List.copyOf(shellLines));
  }

  /** Reads {@code enabled}, {@code token} and {@code allow} from an {@code exec} section. */
  public static ExecPolicy from(ConfigView config) {
    if (!config.bool("enabled", false)) {
      return disabled();
    }
    List<List<String>> prefixes = new ArrayList<>();
    List<String> shellLines = new ArrayList<>();
    Object allow = config.json().getValue("allow");
    if (!(allow instanceof JsonArray) || ((JsonArray) allow).isEmpty()) {
      throw config.error("allow", "exec is enabled, so it needs a non-empty list of allowed commands");
    }
    int index = 0;
    for (Object entry : (JsonArray) allow) {
      String where = config.path() + ".allow[" + index++ + "]";
      if (!(entry instanceof JsonObject)) {
        throw new ConfigException(where + ": expected {\"argv\": [...]} or {\"shell\": \"...\"}");
      }
      ConfigView item = ConfigView.of((JsonObject) entry, where).allowOnly("argv", "shell");
      if (item.has("argv") == item.has("shell")) {
        throw new ConfigException(where + ": give either \"argv\" or \"shell\"");
      }
      if (item.has("argv")) {
        List<String> argv = item.strings("argv", List.of());
        if (argv.isEmpty()) {
          throw new ConfigException(where + ".argv: must name at least the program");
        }
        prefixes.add(argv);
      } else {
        shellLines.add(item.string("shell", null));
      }
    }
    return allowing(prefixes, shellLines, config.string("token", null));
  }

  public boolean enabled() {
    return enabled;
  }

  /** Why the request may not run, or null when it may. */
  public String refusal(CommandRequest request, String presentedToken) {
    if (!enabled) {
      return "exec is not enabled on this server";
    }
    if (token != null && (presentedToken == null || !MessageDigest.isEqual(
      token.getBytes(StandardCharsets.UTF_8), presentedToken.getBytes(StandardCharsets.UTF_8)))) {
      return "missing or wrong token";
    }
    if (request.shell()) {
      return shellLines.contains(request.argv().get(0)) ? null : "this shell command line is not allowed";
    }
    for (List<String> prefix : argvPrefixes) {
      if (request.argv().size() >= prefix.size() && request.argv().subList(0, prefix.size()).equals(prefix)) {
        return null;
      }
    }
    return "command not allowed: " + request.argv();
  }
}
