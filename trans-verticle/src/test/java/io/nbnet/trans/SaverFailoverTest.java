package io.nbnet.trans;

import io.nbnet.support.config.ConfigView;
import io.nbnet.support.testing.Await;
import io.nbnet.wire.ErrorKind;
import io.nbnet.wire.FrameException;
import io.nbnet.wire.FrameServer;
import io.nbnet.wire.FrameServerConfig;
import io.nbnet.wire.Replies;
import io.vertx.core.Context;
import io.vertx.core.Future;
import io.vertx.core.Vertx;
import io.vertx.core.buffer.Buffer;
import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import io.vertx.junit5.VertxExtension;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.DisplayName;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;

import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.TimeUnit;
import java.util.function.Supplier;

import static org.awaitility.Awaitility.await;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * Saver failover on its own, over real sockets to two frame servers standing in for savers, each
 * answering what the test sets for the payload it gets: which saver is asked, when, and what comes back.
 */
@ExtendWith(VertxExtension.class)
class SaverFailoverTest {

  private static final long DOWN_MILLIS = 300;

  /** What a stand-in answers: {@code ok}, {@code unavailable} or {@code invalid}, by payload ({@code *}: any other). */
  private final Map<String, String> firstAnswers = new ConcurrentHashMap<>();
  private final Map<String, String> secondAnswers = new ConcurrentHashMap<>();
  private final List<String> askedFirst = new CopyOnWriteArrayList<>();
  private final List<String> askedSecond = new CopyOnWriteArrayList<>();
  private final List<FrameServer> savers = new CopyOnWriteArrayList<>();
  private Context context;
  private SaverFailover failover;

  @BeforeEach
  void start(Vertx vertx) {
    int first = saver(vertx, "first", firstAnswers, askedFirst);
    int second = saver(vertx, "second", secondAnswers, askedSecond);
    TransConfig config = ConfigView.parse(new JsonObject().put("saverDownMs", DOWN_MILLIS).put("connectionsPerSaver", 1)
      .put("savers", new JsonArray().add("127.0.0.1:" + first).add("127.0.0.1:" + second)), "trans", TransConfig::from);
    context = vertx.getOrCreateContext();
    failover = onContext(() -> new SaverFailover(vertx, vertx.createNetClient(), config));
  }

  @AfterEach
  void stop() {
    onContext(() -> {
      failover.close();
      return null;
    });
    savers.forEach(server -> Await.result(server.close()));
  }

  @Test
  @DisplayName("a saver that answers 'ERR unavailable' is skipped for saverDownMs, the next takes the frame; then the first is asked again")
  void unavailableSaverIsSkippedForAWhile() {
    firstAnswers.put("*", "unavailable");
    assertEquals("OK second", reply("a"));
    firstAnswers.put("*", "ok");
    assertEquals("OK second", reply("b"), "the first saver is not asked while marked down");
    assertEquals(List.of("a"), askedFirst);
    await().atMost(5, TimeUnit.SECONDS).until(() -> reply("c").equals("OK first"));
  }

  @Test
  @DisplayName("with every saver marked down, each is still asked in turn: a frame is not refused while a saver might take it")
  void allDownAreStillAsked() {
    firstAnswers.put("*", "unavailable");
    secondAnswers.put("*", "unavailable");
    FrameException none = assertThrows(FrameException.class, () -> reply("a"));
    assertEquals(ErrorKind.UNAVAILABLE, none.kind());
    assertTrue(none.getMessage().contains("no saver could take the frame, last problem: 127.0.0.1:"), none.getMessage());
    secondAnswers.put("*", "ok");
    assertEquals("OK second", reply("b"));
  }

  @Test
  @DisplayName("a saver's 'ERR invalid' is the answer: no other saver is asked, another would refuse the frame too")
  void invalidIsFinal() {
    firstAnswers.put("bad", "invalid");
    FrameException refused = assertThrows(FrameException.class, () -> reply("bad"));
    assertEquals(ErrorKind.INVALID, refused.kind());
    assertEquals("refused bad", refused.getMessage());
    assertEquals(List.of("bad"), askedFirst);
    assertEquals(List.of(), askedSecond);
  }

  @Test
  @DisplayName("frames in order go to one saver whole: 'ERR unavailable' for any moves the batch on; a refusal for good stays that frame's answer")
  void batchesMoveWhole() {
    firstAnswers.put("b", "unavailable");
    secondAnswers.put("c", "invalid");
    List<Buffer> replies = onContextAwait(() -> failover.forwardInOrder(List.of(Buffer.buffer("a"), Buffer.buffer("b"), Buffer.buffer("c"))));
    assertEquals(List.of("OK second", "OK second", "ERR invalid: refused c"), replies.stream().map(Buffer::toString).toList());
    assertEquals(List.of("a", "b", "c"), askedSecond);
  }

  /** The reply to one frame, or its failure thrown. */
  private String reply(String payload) {
    return onContextAwait(() -> failover.forward(Buffer.buffer(payload))).toString();
  }

  private int saver(Vertx vertx, String name, Map<String, String> answers, List<String> asked) {
    // answered at once: a real saver holds 'ERR unavailable' back for old agents, which adds nothing here but time
    FrameServerConfig options = ConfigView.parse(new JsonObject().put("unavailableReplyDelayMs", 0), name,
      section -> FrameServerConfig.from(section, "127.0.0.1", 0));
    FrameServer server = new FrameServer(vertx, name, options, (payload, peer) -> {
      String text = payload.toString();
      asked.add(text);
      return switch (answers.getOrDefault(text, answers.getOrDefault("*", "ok"))) {
        case "unavailable" -> Future.failedFuture(FrameException.unavailable(name + " cannot store now", null));
        case "invalid" -> Future.failedFuture(FrameException.invalid("refused " + text));
        default -> Future.succeededFuture(Replies.ok(name));
      };
    });
    savers.add(server);
    return Await.result(server.listen()).actualPort();
  }

  private <T> T onContext(Supplier<T> call) {
    return onContextAwait(() -> Future.succeededFuture(call.get()));
  }

  private <T> T onContextAwait(Supplier<Future<T>> call) {
    return Await.result(Future.<T>future(done -> context.runOnContext(v -> call.get().onComplete(done))));
  }
}
