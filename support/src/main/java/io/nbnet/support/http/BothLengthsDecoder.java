package io.nbnet.support.http;

import io.netty.handler.codec.http.HttpMessage;
import io.vertx.core.http.HttpServerOptions;
import io.vertx.core.http.impl.VertxHttpRequestDecoder;

/**
 * Vert.x's request decoder, except that a request with both {@code Transfer-Encoding: chunked} and
 * {@code Content-Length} keeps both headers: Netty drops the length (RFC 9112 allows that), which would
 * hide from {@link HttpGuard} a request it refuses as a smuggling attempt. The body is still read as
 * chunked, as Netty reads it.
 */
final class BothLengthsDecoder extends VertxHttpRequestDecoder {

  BothLengthsDecoder(HttpServerOptions options) {
    super(options);
  }

  @Override
  protected void handleTransferEncodingChunkedWithContentLength(HttpMessage message) {
    // keep Content-Length: the guard answers 400 and closes the connection
  }
}
