package io.nbnet.exec;

import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;

import java.util.List;
import java.util.Map;
import java.util.TreeMap;

/**
 * One command to run. Without {@code shell} the argv runs as is (no shell parses anything); with it,
 * {@code argv} must be a single command line given to {@code /bin/sh -c}.
 *
 * @param workingDirectory null for the server's own
 * @param environment      variables added to (or replacing those of) the server's environment
 */
public record CommandRequest(List<String> argv, boolean shell, String workingDirectory, Map<String, String> environment,
                             long timeoutMillis, int maxOutputBytes) {

  public CommandRequest {
    argv = List.copyOf(argv);
    environment = Map.copyOf(environment);
    if (argv.isEmpty() || argv.get(0).isEmpty()) {
      throw new IllegalArgumentException("argv is empty");
    }
    if (shell && argv.size() != 1) {
      throw new IllegalArgumentException("a shell request carries one command line");
    }
    if (timeoutMillis < 1 || maxOutputBytes < 0) {
      throw new IllegalArgumentException("timeout must be positive and the output limit not negative");
    }
    // a process cannot receive a NUL: the request is wrong, not the server unavailable
    if (argv.stream().anyMatch(CommandRequest::hasNul) || hasNul(workingDirectory)
      || environment.entrySet().stream().anyMatch(e -> hasNul(e.getKey()) || hasNul(e.getValue()))) {
      throw new IllegalArgumentException("argv, the environment and the working directory must not contain a NUL character");
    }
  }

  private static boolean hasNul(String text) {
    return text != null && text.indexOf('\0') >= 0;
  }

  public static CommandRequest of(List<String> argv, long timeoutMillis, int maxOutputBytes) {
    return new CommandRequest(argv, false, null, Map.of(), timeoutMillis, maxOutputBytes);
  }

  /** What the process is started with: the argv, or {@code /bin/sh -c <line>}. */
  public List<String> commandLine() {
    return shell ? List.of("/bin/sh", "-c", argv.get(0)) : argv;
  }

  public JsonObject toJson() {
    return new JsonObject()
      .put("argv", new JsonArray(argv))
      .put("shell", shell)
      .put("cwd", workingDirectory)
      .put("env", new JsonObject(new TreeMap<>(environment)))
      .put("timeoutMs", timeoutMillis)
      .put("maxOutputBytes", maxOutputBytes);
  }

  /**
   * Reads a request; missing limits take the given defaults, and no request may exceed the server's limits.
   *
   * @throws IllegalArgumentException naming what is wrong
   */
  public static CommandRequest fromJson(JsonObject json, long defaultTimeoutMillis, int defaultMaxOutputBytes) {
    Object argv = json.getValue("argv");
    if (!(argv instanceof JsonArray) || ((JsonArray) argv).isEmpty()) {
      throw new IllegalArgumentException("\"argv\" must be a non-empty array of strings");
    }
    List<String> words = new java.util.ArrayList<>();
    for (Object word : (JsonArray) argv) {
      if (!(word instanceof String)) {
        throw new IllegalArgumentException("\"argv\" must be a non-empty array of strings");
      }
      words.add((String) word);
    }
    Map<String, String> environment = new TreeMap<>();
    JsonObject env = json.getJsonObject("env", new JsonObject());
    env.forEach(entry -> environment.put(entry.getKey(), String.valueOf(entry.getValue())));
    long timeout = Math.min(json.getLong("timeoutMs", defaultTimeoutMillis), defaultTimeoutMillis);
    int maxOutput = Math.min(json.getInteger("maxOutputBytes", defaultMaxOutputBytes), defaultMaxOutputBytes);
    return new CommandRequest(words, json.getBoolean("shell", false), json.getString("cwd"), environment, timeout, maxOutput);
  }
}
