package io.nbnet.exec;

import io.vertx.core.Future;
import io.vertx.core.Vertx;
import io.vertx.core.eventbus.DeliveryOptions;
import io.vertx.core.eventbus.ReplyException;
import io.vertx.core.json.JsonObject;

/** Sends commands to an exec service on the event bus. */
public final class ExecClient {

  /** Room for the kill grace period and the reply on top of the command's own timeout. */
  private static final long REPLY_MARGIN_MILLIS = 10_000;

  private final Vertx vertx;
  private final String address;

  public ExecClient(Vertx vertx, String address) {
    this.vertx = vertx;
    this.address = address;
  }

  /**
   * Runs a command; the future fails with {@link CommandRefusedException} when the service is at its
   * limit, and with a plain failure when the service is not there or breaks.
   */
  public Future<CommandResult> run(CommandRequest request) {
    DeliveryOptions delivery = new DeliveryOptions().setSendTimeout(request.timeoutMillis() + REPLY_MARGIN_MILLIS);
    return vertx.eventBus().<JsonObject>request(address, request.toJson(), delivery)
      .map(reply -> CommandResult.fromJson(reply.body()))
      .recover(failure -> {
        if (failure instanceof ReplyException reply && reply.failureCode() == ExecVerticle.REFUSED) {
          return Future.failedFuture(new CommandRefusedException(reply.getMessage()));
        }
        return Future.failedFuture(failure);
      });
  }
}
