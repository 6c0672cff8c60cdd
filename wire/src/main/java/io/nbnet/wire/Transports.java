package io.nbnet.wire;

import io.vertx.core.Vertx;
import io.vertx.core.VertxOptions;

/** The network transport: native epoll where Netty's native library loads, NIO otherwise. */
public final class Transports {

  private Transports() {
  }

  public static VertxOptions preferNative(VertxOptions options) {
    return options.setPreferNativeTransport(true);
  }

  /** One phrase for the log: which transport runs, and why not epoll when it does not. */
  public static String describe(Vertx vertx) {
    if (vertx.isNativeTransportEnabled()) {
      return "native epoll transport";
    }
    Throwable cause = vertx.unavailableNativeTransportCause();
    return "NIO transport (native epoll unavailable" + (cause == null ? "" : ": " + cause.getMessage()) + ")";
  }
}
