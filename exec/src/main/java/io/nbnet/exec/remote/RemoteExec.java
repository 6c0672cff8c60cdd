package io.nbnet.exec.remote;

import io.nbnet.support.config.ConfigView;
import io.nbnet.exec.ExecClient;
import io.nbnet.exec.ExecConfig;
import io.nbnet.exec.ExecVerticle;
import io.nbnet.wire.FrameHandler;
import io.vertx.core.Future;
import io.vertx.core.Vertx;

import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;

/** Puts remote exec in front of a frame server's handler, with the exec service it needs. */
public final class RemoteExec {

  /** The keys of an {@code exec} config section. */
  public static final List<String> KEYS;

  static {
    List<String> keys = new ArrayList<>(List.of("enabled", "token", "allow"));
    keys.addAll(Arrays.asList(ExecConfig.KEYS));
    KEYS = List.copyOf(keys);
  }

  private RemoteExec() {
  }

  /** Validates an {@code exec} section (throws a ConfigException naming the bad key). */
  public static void validate(ConfigView exec) {
    exec.allowOnly(KEYS.toArray(String[]::new));
    ExecPolicy.from(exec);
    ExecConfig.from(exec, "validation");
  }

  /**
   * Wraps {@code next}: exec requests are refused when the section does not enable exec; when it
   * does, an exec service is deployed (as a child of the calling verticle) at {@code address}.
   */
  public static Future<FrameHandler> wrap(Vertx vertx, ConfigView exec, String address, FrameHandler next) {
    validate(exec);
    ExecPolicy policy = ExecPolicy.from(exec);
    ExecConfig limits = ExecConfig.from(exec, address);
    RemoteExecHandler handler = new RemoteExecHandler(next, policy, new ExecClient(vertx, address),
      limits.timeoutMillis(), limits.maxOutputBytes());
    if (!policy.enabled()) {
      return Future.succeededFuture(handler);
    }
    return vertx.deployVerticle(new ExecVerticle(limits)).map(id -> handler);
  }
}
