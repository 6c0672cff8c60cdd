package io.nbnet.wire;

import io.nbnet.wire.testing.RawFrameSocket;
import io.vertx.core.Future;
import io.vertx.core.Promise;
import io.vertx.core.Vertx;
import io.vertx.core.buffer.Buffer;
import io.vertx.core.net.NetClient;
import io.vertx.junit5.VertxExtension;
import io.vertx.junit5.VertxTestContext;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.DisplayName;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;

import java.util.concurrent.TimeUnit;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

@ExtendWith(VertxExtension.class)
class FrameServerTest {

  private static final int MAX_FRAME = 1000;
  private static final long IDLE_MILLIS = 300;
  private static final long IDLE_BETWEEN_FRAMES_MILLIS = 1_500;
  private static final long FRAME_DEADLINE_MILLIS = 1_000;
  private static final long UNAVAILABLE_DELAY_MILLIS = 200;

  private int port;

  /** Replies "OK <payload>"; "slow:N" answers after N ms; "bad" is invalid; "busy" is unavailable. */
  private static RequestHandler testHandler(Vertx vertx) {
    return (payload, peer) -> {
      String text = payload.toString();
      if (text.startsWith("slow:")) {
        Promise<Buffer> reply = Promise.promise();
        vertx.setTimer(Long.parseLong(text.substring(5)), id -> reply.complete(Replies.ok(text)));
        return reply.future();
      }
      return switch (text) {
        case "bad" -> Future.failedFuture(FrameException.invalid("bad is not a request"));
        case "busy" -> Future.failedFuture(FrameException.unavailable("try later", null));
        default -> Future.succeededFuture(Replies.ok(text));
      };
    };
  }

  @BeforeEach
  void startServer(Vertx vertx) throws Exception {
    FrameServerConfig options = FrameServerConfig.defaults("127.0.0.1", 0).withMaxFrameBytes(MAX_FRAME).withMaxPendingPerConnection(64)
      .withTimeouts(IDLE_MILLIS, IDLE_BETWEEN_FRAMES_MILLIS, FRAME_DEADLINE_MILLIS).withUnavailableReplyDelayMillis(UNAVAILABLE_DELAY_MILLIS);
    FrameServer server = new FrameServer(vertx, "test", options, testHandler(vertx));
    port = server.listen().toCompletionStage().toCompletableFuture().get(10, TimeUnit.SECONDS).actualPort();
  }

  @Test
  @DisplayName("pipelined requests are answered in request order, even when later ones finish first")
  void repliesInRequestOrder() throws Exception {
    try (RawFrameSocket socket = new RawFrameSocket(port)) {
      socket.sendRaw(RawFrameSocket.frame("slow:300") + RawFrameSocket.frame("a") + RawFrameSocket.frame("slow:50")
        + RawFrameSocket.frame("b"));
      assertEquals("OK slow:300", socket.readReply());
      assertEquals("OK a", socket.readReply());
      assertEquals("OK slow:50", socket.readReply());
      assertEquals("OK b", socket.readReply());
    }
  }

  @Test
  @DisplayName("a non-digit header gets an error reply and a closed connection; another connection is unaffected")
  void closesOnBadHeader() throws Exception {
    try (RawFrameSocket bystander = new RawFrameSocket(port); RawFrameSocket bad = new RawFrameSocket(port)) {
      assertEquals("OK before", bystander.request("before"));
      bad.sendRaw("00000abc12hello");
      String reply = bad.readReply();
      assertTrue(reply.startsWith("ERR protocol: frame header is not 10 ASCII digits"), reply);
      assertTrue(bad.closedByPeer());
      assertEquals("OK after", bystander.request("after"));
    }
  }

  @Test
  @DisplayName("a length of 0 and a length over the maximum are protocol errors that close the connection")
  void closesOnBadLengths() throws Exception {
    try (RawFrameSocket socket = new RawFrameSocket(port)) {
      socket.sendRaw("0000000000");
      assertEquals("ERR protocol: frame length is 0", socket.readReply());
      assertTrue(socket.closedByPeer());
    }
    try (RawFrameSocket socket = new RawFrameSocket(port)) {
      socket.sendRaw("9999999999");
      assertEquals("ERR protocol: frame length 9999999999 exceeds the maximum of " + MAX_FRAME + " bytes", socket.readReply());
      assertTrue(socket.closedByPeer());
    }
  }

  @Test
  @DisplayName("earlier requests are still answered before the protocol error that follows them")
  void answersEarlierRequestsBeforeTheError() throws Exception {
    try (RawFrameSocket socket = new RawFrameSocket(port)) {
      socket.sendRaw(RawFrameSocket.frame("slow:100") + "xxxxxxxxxx");
      assertEquals("OK slow:100", socket.readReply());
      assertTrue(socket.readReply().startsWith("ERR protocol:"));
      assertTrue(socket.closedByPeer());
    }
  }

  @Test
  @DisplayName("a peer that stops in the middle of a frame is closed after the idle timeout")
  void closesSilentPeerMidFrame() throws Exception {
    try (RawFrameSocket socket = new RawFrameSocket(port)) {
      long start = System.nanoTime();
      socket.sendRaw("0000000020{\"Host\":");
      assertEquals("ERR protocol: incomplete frame: peer silent for " + IDLE_MILLIS + " ms", socket.readReply());
      assertTrue(socket.closedByPeer());
      assertTrue(System.nanoTime() - start >= TimeUnit.MILLISECONDS.toNanos(IDLE_MILLIS));
    }
  }

  @Test
  @DisplayName("a peer idle between frames for less than idleBetweenFramesMs is kept; past it the connection is closed")
  void closesPeerIdleBetweenFrames() throws Exception {
    try (RawFrameSocket socket = new RawFrameSocket(port)) {
      assertEquals("OK one", socket.request("one"));
      socket.readTimeout((int) IDLE_MILLIS * 3);
      assertFalse(socket.closedByPeer());
      assertEquals("OK two", socket.request("two"));
      socket.readTimeout((int) IDLE_BETWEEN_FRAMES_MILLIS * 4);
      long start = System.nanoTime();
      assertTrue(socket.closedByPeer());
      assertTrue(System.nanoTime() - start >= TimeUnit.MILLISECONDS.toNanos(IDLE_BETWEEN_FRAMES_MILLIS / 2));
    }
  }

  @Test
  @DisplayName("a peer trickling one byte at a time inside a frame is closed at the frame deadline")
  void closesTricklingPeer() throws Exception {
    try (RawFrameSocket socket = new RawFrameSocket(port)) {
      socket.sendRaw("0000000200");
      long start = System.nanoTime();
      String reply = null;
      socket.readTimeout((int) IDLE_MILLIS / 3);
      for (int i = 0; i < 200 && reply == null; i++) {
        socket.sendRaw("x");
        reply = socket.replyIfAny();
      }
      assertEquals("ERR protocol: frame not complete within " + FRAME_DEADLINE_MILLIS + " ms", reply);
      assertTrue(System.nanoTime() - start >= TimeUnit.MILLISECONDS.toNanos(FRAME_DEADLINE_MILLIS));
    }
  }

  @Test
  @DisplayName("an invalid payload closes the connection after its error; 'unavailable' keeps it open and is held back")
  void errorKindsDecideAboutTheConnection() throws Exception {
    try (RawFrameSocket socket = new RawFrameSocket(port)) {
      long start = System.nanoTime();
      assertEquals("ERR unavailable: try later", socket.request("busy"));
      // an old agent resends at once: held back, its retries come once per delay instead of in a tight loop
      assertTrue(System.nanoTime() - start >= TimeUnit.MILLISECONDS.toNanos(UNAVAILABLE_DELAY_MILLIS));
      assertEquals("OK still here", socket.request("still here"));
      assertEquals("ERR invalid: bad is not a request", socket.request("bad"));
      assertTrue(socket.closedByPeer());
    }
  }

  @Test
  @DisplayName("the frame client pipelines requests and matches replies by order")
  void clientPipelines(Vertx vertx, VertxTestContext ctx) {
    NetClient netClient = vertx.createNetClient();
    FrameClient.connect(vertx, netClient, "127.0.0.1", port, MAX_FRAME, 5_000).onComplete(ctx.succeeding(client -> {
      Future<Buffer> slow = client.send(Buffer.buffer("slow:100"));
      Future<Buffer> fast = client.send(Buffer.buffer("fast"));
      Future.all(slow, fast).onComplete(ctx.succeeding(all -> ctx.verify(() -> {
        assertEquals("OK slow:100", slow.result().toString());
        assertEquals("OK fast", fast.result().toString());
        ctx.completeNow();
      })));
    }));
  }

  @Test
  @DisplayName("the frame client fails waiting requests when the reply does not come in time")
  void clientTimesOut(Vertx vertx, VertxTestContext ctx) {
    FrameClient.connect(vertx, vertx.createNetClient(), "127.0.0.1", port, MAX_FRAME, 100).onComplete(ctx.succeeding(client ->
      client.send(Buffer.buffer("slow:2000")).onComplete(ctx.failing(error -> ctx.verify(() -> {
        assertTrue(error.getMessage().contains("no reply"), error.getMessage());
        assertTrue(client.isClosed());
        ctx.completeNow();
      })))));
  }
}
