package io.nbnet.exec;

import io.vertx.core.json.JsonObject;

/**
 * How a command ended.
 *
 * @param exitCode  the process's exit status; 128 + signal when a signal ended it; -1 when it never started
 * @param truncated true when stdout or stderr passed the output limit (the rest was read and dropped)
 * @param error     why the command did not run (not found, bad working directory), else null
 */
public record CommandResult(int exitCode, String stdout, String stderr, long durationMillis, boolean timedOut,
                            boolean truncated, String error) {

  public static CommandResult notStarted(String error) {
    return new CommandResult(-1, "", "", 0, false, false, error);
  }

  public boolean succeeded() {
    return error == null && !timedOut && exitCode == 0;
  }

  /** The last {@code maxChars} characters of stderr, for log lines. */
  public String stderrTail(int maxChars) {
    String trimmed = stderr.strip();
    return trimmed.length() <= maxChars ? trimmed : "..." + trimmed.substring(trimmed.length() - maxChars);
  }

  public JsonObject toJson() {
    return new JsonObject()
      .put("exitCode", exitCode)
      .put("stdout", stdout)
      .put("stderr", stderr)
      .put("durationMs", durationMillis)
      .put("timedOut", timedOut)
      .put("truncated", truncated)
      .put("error", error);
  }

  public static CommandResult fromJson(JsonObject json) {
    return new CommandResult(json.getInteger("exitCode"), json.getString("stdout", ""), json.getString("stderr", ""),
      json.getLong("durationMs", 0L), json.getBoolean("timedOut", false), json.getBoolean("truncated", false),
      json.getString("error"));
  }
}
