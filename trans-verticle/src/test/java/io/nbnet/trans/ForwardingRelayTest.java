package io.nbnet.trans;

import io.nbnet.formats.PayloadHosts;
import io.nbnet.wire.Peer;
import io.nbnet.wire.Replies;
import io.vertx.core.Future;
import io.vertx.core.Promise;
import io.vertx.core.buffer.Buffer;
import org.junit.jupiter.api.DisplayName;
import org.junit.jupiter.api.Test;

import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * The hand-on to the remote write targets behind savers that answer in any order (as several links
 * and savers do): each connection's frames reach the targets in the order they came.
 */
class ForwardingRelayTest {

  /** Savers whose answers the test gives, frame by frame. */
  private static final class Savers implements Relay {
    final Map<String, Promise<Buffer>> answers = new HashMap<>();

    @Override
    public Future<Buffer> handle(Buffer payload, Peer peer) {
      Promise<Buffer> answer = Promise.promise();
      answers.put(payload.toString(), answer);
      return answer.future();
    }

    @Override
    public Future<Buffer> handle(PayloadHosts hosts, Buffer payload, Peer peer) {
      return handle(payload, peer);
    }

    void answer(String frame, Buffer reply) {
      answers.get(frame).complete(reply);
    }
  }

  private final Savers savers = new Savers();
  private final List<String> handedOn = new ArrayList<>();
  private final ForwardingRelay relay = new ForwardingRelay(savers, frame -> {
    handedOn.add(frame.toString());
    return Future.succeededFuture();
  });
  private final Peer first = new Peer("10.0.0.1:40000", "10.0.0.1", Set.of());
  private final Peer second = new Peer("10.0.0.2:40000", "10.0.0.2", Set.of());

  @Test
  @DisplayName("a connection's frames are handed on in the order they came, though the savers answer the last first")
  void framesGoInTheOrderTheyCame() {
    List<Future<Buffer>> replies = new ArrayList<>();
    for (String frame : List.of("a1", "a2", "a3")) {
      replies.add(relay.handle(Buffer.buffer(frame), first));
    }
    savers.answer("a3", Replies.ok());
    savers.answer("a2", Replies.ok());
    assertEquals(List.of(), handedOn, "nothing handed on before the first frame's answer");
    assertFalse(replies.get(2).isComplete(), "the sender hears OK once its frame is queued for the targets");
    savers.answer("a1", Replies.ok());
    assertEquals(List.of("a1", "a2", "a3"), handedOn);
    assertTrue(replies.stream().allMatch(reply -> reply.succeeded() && Replies.isOk(reply.result())));
  }

  @Test
  @DisplayName("a frame the savers refused or could not take is not handed on and holds up nothing behind it")
  void refusedFramesAreSkippedInTurn() {
    Future<Buffer> refused = relay.handle(Buffer.buffer("b1"), first);
    Future<Buffer> failed = relay.handle(Buffer.buffer("b2"), first);
    Future<Buffer> taken = relay.handle(Buffer.buffer("b3"), first);
    savers.answer("b3", Replies.ok());
    savers.answers.get("b2").fail("no saver answers");
    assertFalse(taken.isComplete());
    savers.answer("b1", Buffer.buffer("ERR invalid frame"));
    assertEquals(List.of("b3"), handedOn);
    assertEquals("ERR invalid frame", refused.result().toString());
    assertTrue(failed.failed());
    assertTrue(taken.succeeded());
  }

  @Test
  @DisplayName("connections do not wait for each other")
  void connectionsAreIndependent() {
    relay.handle(Buffer.buffer("a1"), first);
    Future<Buffer> other = relay.handle(Buffer.buffer("c1"), second);
    savers.answer("c1", Replies.ok());
    assertTrue(other.succeeded(), "the second connection's frame is answered while the first's waits");
    assertEquals(List.of("c1"), handedOn);
    savers.answer("a1", Replies.ok());
    assertEquals(List.of("c1", "a1"), handedOn);
  }
}
