package io.nbnet.exec.remote;

import io.nbnet.exec.ExecConfig;
import io.nbnet.support.config.ConfigView;

import java.util.Optional;

/**
 * The {@code exec} section of a frame server: off unless {@code enabled}; then it needs an allow-list,
 * and a {@code token} unless {@code allowWithoutToken} says explicitly that anyone who reaches the
 * port may run the listed commands.
 *
 * @param lockout how many wrong tokens from one address, within how long, lock it out for how long
 */
public record RemoteExecConfig(boolean enabled, Optional<String> token, boolean allowWithoutToken, AllowList allow,
                               ExecConfig limits, Lockout lockout) {

  /** Wrong-token limits per peer address. */
  public record Lockout(int maxWrongTokens, long windowMillis, long lockoutMillis) {
  }

  /**
   * @param name    the exec service's name in meters and logs ("trans", "bench-server")
   * @param address the event-bus address of the exec service
   */
  public static RemoteExecConfig from(ConfigView exec, String name, String address) {
    boolean enabled = exec.bool("enabled", false);
    Optional<String> token = exec.secret("token").filter(t -> !t.isEmpty());
    boolean allowWithoutToken = exec.bool("allowWithoutToken", false);
    AllowList allow = AllowList.from(exec.sections("allow"), System.getenv().getOrDefault("PATH", "/usr/bin:/bin"));
    ExecConfig limits = ExecConfig.from(exec, name, address);
    Lockout lockout = new Lockout(
      exec.integer("maxWrongTokens", 5, 1, 1_000),
      exec.longValue("wrongTokenWindowMs", 60_000, 1_000, 86_400_000),
      exec.longValue("lockoutMs", 600_000, 1_000, 7 * 86_400_000L));
    if (enabled && allow.isEmpty()) {
      throw exec.error("allow", "exec is enabled, so it needs a non-empty list of allowed commands");
    }
    if (enabled && token.isEmpty() && !allowWithoutToken) {
      throw exec.error("token", "exec is enabled without a token: anyone who reaches the port could run the allowed commands;"
        + " set a token, or \"allowWithoutToken\": true to accept that");
    }
    return new RemoteExecConfig(enabled, token, allowWithoutToken, allow, limits, lockout);
  }
}
