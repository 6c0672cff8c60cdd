package io.nbnet.exec.remote;

import io.nbnet.exec.ExecClient;
import io.nbnet.exec.ExecVerticle;
import io.nbnet.wire.RequestHandler;
import io.vertx.core.Future;
import io.vertx.core.Vertx;

import java.util.logging.Logger;

/**
 * Remote exec in front of frame servers' handlers: {@link #start} deploys the exec service the section
 * needs (as a child of the calling verticle), {@link #wrap} puts it in front of a handler; several
 * servers share one service.
 */
public final class RemoteExec {

  private static final Logger log = Logger.getLogger(RemoteExec.class.getName());

  private final Vertx vertx;
  private final RemoteExecConfig config;

  private RemoteExec(Vertx vertx, RemoteExecConfig config) {
    this.vertx = vertx;
    this.config = config;
  }

  /** Exec requests are refused when the section does not enable exec; when it does, the exec service is deployed at its address. */
  public static Future<RemoteExec> start(Vertx vertx, RemoteExecConfig config) {
    RemoteExec exec = new RemoteExec(vertx, config);
    if (!config.enabled()) {
      return Future.succeededFuture(exec);
    }
    if (config.token().isEmpty()) {
      log.warning(config.limits().name() + ": remote exec is enabled WITHOUT a token (allowWithoutToken): anyone who reaches"
        + " this port can run the allowed commands");
    }
    return vertx.deployVerticle(new ExecVerticle(config.limits())).map(id -> exec);
  }

  /** {@code next} behind remote exec: exec requests are answered here, every other request by {@code next}. */
  public RequestHandler wrap(RequestHandler next) {
    return new RemoteExecHandler(next, config, new ExecClient(vertx, config.limits().address()));
  }

  /** The one-server case: {@link #start}, then {@link #wrap}. */
  public static Future<RequestHandler> wrap(Vertx vertx, RemoteExecConfig config, RequestHandler next) {
    return start(vertx, config).map(exec -> exec.wrap(next));
  }
}
