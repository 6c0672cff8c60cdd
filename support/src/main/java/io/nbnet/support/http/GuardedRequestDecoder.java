package io.nbnet.support.http;

import io.netty.buffer.ByteBuf;
import io.netty.channel.ChannelHandlerContext;
import io.netty.handler.codec.http.HttpMessage;
import io.netty.handler.codec.http.LastHttpContent;
import io.vertx.core.http.HttpServerOptions;
import io.vertx.core.http.impl.VertxHttpRequestDecoder;

import java.util.List;

/**
 * Vert.x's request decoder with two changes for {@link HttpGuard}:
 * <ul>
 *   <li>a request with both {@code Transfer-Encoding: chunked} and {@code Content-Length} keeps both
 *   headers (Netty drops the length, as RFC 9112 allows), so the guard sees and refuses it; its body is
 *   still read as chunked;</li>
 *   <li>a connection closed in the middle of a request's header (abandoned by its client, or closed by
 *   the guard's header timeout) yields nothing: Netty would hand on a broken request, which Vert.x
 *   counts as begun and never as ended ({@code vertx_http_server_active_requests} one higher for good).
 *   A request whose header was whole and whose body is cut off is still handed on as broken.</li>
 * </ul>
 */
final class GuardedRequestDecoder extends VertxHttpRequestDecoder {

  /** A request's header was handed on and its last content not yet. */
  private boolean inMessage;

  GuardedRequestDecoder(HttpServerOptions options) {
    super(options);
  }

  @Override
  protected void decode(ChannelHandlerContext ctx, ByteBuf buffer, List<Object> out) throws Exception {
    int before = out.size();
    super.decode(ctx, buffer, out);
    for (int i = before; i < out.size(); i++) {
      Object decoded = out.get(i);
      if (decoded instanceof HttpMessage) {
        inMessage = true;
      }
      if (decoded instanceof LastHttpContent) {
        inMessage = false;
      }
    }
  }

  @Override
  protected void decodeLast(ChannelHandlerContext ctx, ByteBuf buffer, List<Object> out) throws Exception {
    if (inMessage) {
      super.decodeLast(ctx, buffer, out);
    }
    // otherwise the connection closed between requests or within a header: nothing was begun, nothing to end
  }

  @Override
  protected void handleTransferEncodingChunkedWithContentLength(HttpMessage message) {
    // keep Content-Length: the guard answers 400 and closes the connection
  }
}
