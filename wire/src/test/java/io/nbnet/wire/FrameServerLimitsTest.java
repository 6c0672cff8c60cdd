package io.nbnet.wire;

import io.nbnet.wire.testing.RawFrameSocket;
import io.vertx.core.Future;
import io.vertx.core.Promise;
import io.vertx.core.Vertx;
import io.vertx.core.buffer.Buffer;
import io.vertx.junit5.VertxExtension;
import org.junit.jupiter.api.DisplayName;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;

import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;

import static org.awaitility.Awaitility.await;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** What a frame server holds is bounded in bytes and connections, whatever its peers do. */
@ExtendWith(VertxExtension.class)
class FrameServerLimitsTest {

  private static final int MAX_FRAME = 256 * 1024;

  @Test
  @DisplayName("peers holding large partial frames fill at most their share of memory; small frames of others still pass")
  void largePartialFramesCannotStarveSmallOnes(Vertx vertx) throws Exception {
    AtomicInteger handled = new AtomicInteger();
    FrameServerConfig options = FrameServerConfig.defaults("127.0.0.1", 0).withMaxFrameBytes(MAX_FRAME)
      .withMemory(MAX_FRAME, 4L * MAX_FRAME, 1_000);
    FrameServer server = start(vertx, options, (payload, peer) -> {
      handled.incrementAndGet();
      return Future.succeededFuture(Replies.ok(String.valueOf(payload.length())));
    });
    List<RawFrameSocket> hogs = new ArrayList<>();
    try {
      byte[] almostAll = new byte[MAX_FRAME - 10];
      for (int i = 0; i < 8; i++) {
        RawFrameSocket hog = new RawFrameSocket(server.actualPort());
        hog.sendRaw(String.format("%010d", MAX_FRAME)).sendBytes(almostAll);
        hogs.add(hog);
      }
      // three large frames fit in three quarters of 4 frames' worth; the others wait, their bytes unread
      try (RawFrameSocket small = new RawFrameSocket(server.actualPort())) {
        assertEquals("OK 5", small.request("small"));
      }
      assertEquals(1, handled.get());
      hogs.get(0).sendBytes(new byte[10]);
      assertEquals("OK " + MAX_FRAME, hogs.get(0).readReply());
    } finally {
      for (RawFrameSocket hog : hogs) {
        hog.close();
      }
    }
    // when the hogs leave, their memory is free again: a full frame passes
    try (RawFrameSocket socket = new RawFrameSocket(server.actualPort())) {
      assertEquals("OK " + MAX_FRAME, socket.sendRaw(String.format("%010d", MAX_FRAME)).sendBytes(new byte[MAX_FRAME]).readReply());
    }
  }

  @Test
  @DisplayName("pipelined large frames waiting for a slow handler are bounded per connection: the peer is paused, not buffered")
  void boundsPipelinedFramesPerConnection(Vertx vertx) throws Exception {
    List<Promise<Buffer>> held = Collections.synchronizedList(new ArrayList<>());
    FrameServerConfig options = FrameServerConfig.defaults("127.0.0.1", 0).withMaxFrameBytes(MAX_FRAME)
      .withMemory(2L * MAX_FRAME, 8L * MAX_FRAME, 1_000);
    FrameServer server = start(vertx, options, (payload, peer) -> {
      Promise<Buffer> reply = Promise.promise();
      held.add(reply);
      return reply.future();
    });
    try (RawFrameSocket socket = new RawFrameSocket(server.actualPort())) {
      byte[] frame = frame(MAX_FRAME);
      for (int i = 0; i < 5; i++) {
        socket.sendBytes(frame);
      }
      await().atMost(5, TimeUnit.SECONDS).until(() -> held.size() == 2);
      // two frames fill the connection's share: the third stays unread while both wait
      await().during(300, TimeUnit.MILLISECONDS).atMost(2, TimeUnit.SECONDS).until(() -> held.size() == 2);
      held.get(0).complete(Replies.ok());
      assertEquals("OK", socket.readReply());
      await().atMost(5, TimeUnit.SECONDS).until(() -> held.size() == 3);
    }
  }

  @Test
  @DisplayName("past maxConnections a new connection gets ERR unavailable and is closed; the others keep working")
  void capsConnections(Vertx vertx) throws Exception {
    FrameServerConfig options = FrameServerConfig.defaults("127.0.0.1", 0).withMemory(FrameServerConfig.DEFAULT_MAX_FRAME_BYTES,
      4L * FrameServerConfig.DEFAULT_MAX_FRAME_BYTES, 2);
    FrameServer server = start(vertx, options, (payload, peer) -> Future.succeededFuture(Replies.ok()));
    try (RawFrameSocket first = new RawFrameSocket(server.actualPort()); RawFrameSocket second = new RawFrameSocket(server.actualPort())) {
      assertEquals("OK", first.request("a"));
      assertEquals("OK", second.request("b"));
      try (RawFrameSocket third = new RawFrameSocket(server.actualPort())) {
        assertEquals("ERR unavailable: too many connections: 2 are open", third.readReply());
        assertTrue(third.closedByPeer());
      }
      assertEquals("OK", first.request("c"));
    }
  }

  private static byte[] frame(int length) {
    byte[] frame = new byte[Frames.HEADER_LENGTH + length];
    System.arraycopy(String.format("%010d", length).getBytes(), 0, frame, 0, Frames.HEADER_LENGTH);
    return frame;
  }

  private static FrameServer start(Vertx vertx, FrameServerConfig options, RequestHandler handler) throws Exception {
    return new FrameServer(vertx, "limits-test", options, handler).listen().toCompletionStage().toCompletableFuture()
      .get(10, TimeUnit.SECONDS);
  }
}
