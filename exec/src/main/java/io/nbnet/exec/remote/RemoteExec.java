package io.nbnet.exec.remote;

import io.nbnet.exec.ExecClient;
import io.nbnet.exec.ExecVerticle;
import io.nbnet.wire.FrameHandler;
import io.vertx.core.Future;
import io.vertx.core.Vertx;

import java.util.logging.Logger;

/** Puts remote exec in front of a frame server's handler, with the exec service it needs. */
public final class RemoteExec {

  private static final Logger log = Logger.getLogger(RemoteExec.class.getName());

  private RemoteExec() {
  }

  /**
   * Wraps {@code next}: exec requests are refused when the section does not enable exec; when it
   * does, an exec service is deployed (as a child of the calling verticle) at the config's address.
   */
  public static Future<FrameHandler> wrap(Vertx vertx, RemoteExecConfig config, FrameHandler next) {
    RemoteExecHandler handler = new RemoteExecHandler(next, config, new ExecClient(vertx, config.limits().address()));
    if (!config.enabled()) {
      return Future.succeededFuture(handler);
    }
    if (config.token().isEmpty()) {
      log.warning(config.limits().name() + ": remote exec is enabled WITHOUT a token (allowWithoutToken): anyone who reaches"
        + " this port can run the allowed commands");
    }
    return vertx.deployVerticle(new ExecVerticle(config.limits())).map(id -> handler);
  }
}
