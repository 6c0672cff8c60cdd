package io.nbnet.exec.remote;

import io.nbnet.support.config.ConfigView;
import io.nbnet.wire.FrameHandler;
import io.nbnet.wire.FrameServer;
import io.nbnet.wire.FrameServerOptions;
import io.nbnet.wire.Replies;
import io.nbnet.wire.testing.RawFrameSocket;
import io.vertx.core.Future;
import io.vertx.core.Vertx;
import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import io.vertx.junit5.VertxExtension;
import org.junit.jupiter.api.DisplayName;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;

import java.util.concurrent.TimeUnit;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** Remote exec on a real frame server, with real processes behind it. */
@ExtendWith(VertxExtension.class)
class RemoteExecTest {

  private static final FrameHandler ECHO = payload -> Future.succeededFuture(Replies.ok(payload.toString()));

  @Test
  @DisplayName("off unless configured: an exec request is refused and the connection stays usable")
  void refusedWhenDisabled(Vertx vertx) throws Exception {
    int port = start(vertx, new JsonObject());
    try (RawFrameSocket socket = new RawFrameSocket(port)) {
      assertEquals("ERR refused: exec is not enabled on this server", socket.request(exec(new JsonObject().put("argv", new JsonArray().add("true")))));
      assertEquals("OK other requests still work", socket.request("other requests still work"));
    }
  }

  @Test
  @DisplayName("an allowed argv prefix runs without a shell and is answered with one framed result")
  void runsAllowedCommand(Vertx vertx) throws Exception {
    int port = start(vertx, enabled().put("allow", new JsonArray().add(new JsonObject().put("argv", new JsonArray().add("echo")))));
    try (RawFrameSocket socket = new RawFrameSocket(port)) {
      String reply = socket.request(exec(new JsonObject().put("argv", new JsonArray().add("echo").add("hello;").add("$USER"))));
      assertTrue(reply.startsWith("OK "), reply);
      JsonObject result = new JsonObject(reply.substring(3));
      assertEquals(0, result.getInteger("exitCode"));
      assertEquals("hello; $USER\n", result.getString("stdout"));
      assertFalse(result.getBoolean("timedOut"));
      assertFalse(result.getBoolean("truncated"));
    }
  }

  @Test
  @DisplayName("commands outside the allow-list, and shell lines not listed exactly, are refused")
  void refusesWhatIsNotAllowed(Vertx vertx) throws Exception {
    JsonArray allow = new JsonArray()
      .add(new JsonObject().put("argv", new JsonArray().add("df").add("-h")))
      .add(new JsonObject().put("shell", "echo from-shell"));
    int port = start(vertx, enabled().put("allow", allow));
    try (RawFrameSocket socket = new RawFrameSocket(port)) {
      assertEquals("ERR refused: command not allowed: [rm, -rf, /tmp/x]",
        socket.request(exec(new JsonObject().put("argv", new JsonArray().add("rm").add("-rf").add("/tmp/x")))));
      assertEquals("ERR refused: command not allowed: [df]", socket.request(exec(new JsonObject().put("argv", new JsonArray().add("df")))));
      assertEquals("ERR refused: this shell command line is not allowed",
        socket.request(exec(new JsonObject().put("argv", new JsonArray().add("echo from-shell; rm -rf /")).put("shell", true))));
      String shell = socket.request(exec(new JsonObject().put("argv", new JsonArray().add("echo from-shell")).put("shell", true)));
      assertEquals("from-shell\n", new JsonObject(shell.substring(3)).getString("stdout"));
      String df = socket.request(exec(new JsonObject().put("argv", new JsonArray().add("df").add("-h").add("/"))));
      assertEquals(0, new JsonObject(df.substring(3)).getInteger("exitCode"));
    }
  }

  @Test
  @DisplayName("with a token configured, requests without the right token are refused")
  void checksTheToken(Vertx vertx) throws Exception {
    int port = start(vertx, enabled().put("token", "s3cret")
      .put("allow", new JsonArray().add(new JsonObject().put("argv", new JsonArray().add("true")))));
    JsonObject request = new JsonObject().put("argv", new JsonArray().add("true"));
    try (RawFrameSocket socket = new RawFrameSocket(port)) {
      assertEquals("ERR refused: missing or wrong token", socket.request(exec(request)));
      assertEquals("ERR refused: missing or wrong token", socket.request(exec(request.copy().put("token", "guess"))));
      assertTrue(socket.request(exec(request.copy().put("token", "s3cret"))).startsWith("OK {\"exitCode\":0"));
    }
  }

  @Test
  @DisplayName("a malformed exec request is invalid: error reply, connection closed")
  void rejectsMalformedRequest(Vertx vertx) throws Exception {
    int port = start(vertx, enabled().put("allow", new JsonArray().add(new JsonObject().put("argv", new JsonArray().add("true")))));
    try (RawFrameSocket socket = new RawFrameSocket(port)) {
      String reply = socket.request(RemoteExecHandler.MAGIC + "{\"argv\": ");
      assertTrue(reply.startsWith("ERR invalid: exec request:"), reply);
      assertTrue(socket.closedByPeer());
    }
  }

  private static JsonObject enabled() {
    return new JsonObject().put("enabled", true);
  }

  private static String exec(JsonObject request) {
    return RemoteExecHandler.request(request).toString();
  }

  private static int start(Vertx vertx, JsonObject execSection) throws Exception {
    FrameHandler handler = RemoteExec.wrap(vertx, ConfigView.of(execSection, "exec"), "test.remote.exec", ECHO)
      .toCompletionStage().toCompletableFuture().get(10, TimeUnit.SECONDS);
    return new FrameServer(vertx, "exec-test", new FrameServerOptions("127.0.0.1", 0, 1 << 20, 5_000, 64), handler)
      .listen().toCompletionStage().toCompletableFuture().get(10, TimeUnit.SECONDS).actualPort();
  }
}
