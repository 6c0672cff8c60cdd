package io.nbnet.exec.remote;

import io.micrometer.core.instrument.Metrics;
import io.micrometer.core.instrument.simple.SimpleMeterRegistry;
import io.nbnet.support.config.ConfigException;
import io.nbnet.support.config.ConfigView;
import io.nbnet.support.testing.LogCapture;
import io.nbnet.wire.FrameServer;
import io.nbnet.wire.FrameServerConfig;
import io.nbnet.wire.Replies;
import io.nbnet.wire.RequestHandler;
import io.nbnet.wire.testing.RawFrameSocket;
import io.vertx.core.Future;
import io.vertx.core.Vertx;
import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import io.vertx.junit5.VertxExtension;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.DisplayName;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;
import org.junit.jupiter.api.io.TempDir;

import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.util.List;
import java.util.concurrent.TimeUnit;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** Remote exec on a real frame server, with real processes behind it. */
@ExtendWith(VertxExtension.class)
class RemoteExecTest {

  private static final RequestHandler ECHO = (payload, peer) -> Future.succeededFuture(Replies.ok(payload.toString()));

  @BeforeAll
  static void countMeters() {
    // without Vert.x metrics nbnet's meters go to the global registry, which keeps counts only with a registry in it
    if (Metrics.globalRegistry.getRegistries().isEmpty()) {
      Metrics.addRegistry(new SimpleMeterRegistry());
    }
  }

  @Test
  @DisplayName("off unless configured: an exec request is refused and the connection stays usable")
  void refusedWhenDisabled(Vertx vertx) throws Exception {
    int port = start(vertx, new JsonObject());
    try (RawFrameSocket socket = new RawFrameSocket(port)) {
      assertEquals("ERR refused: exec is not enabled on this server", socket.request(exec(argv("true"))));
      assertEquals("OK other requests still work", socket.request("other requests still work"));
    }
  }

  @Test
  @DisplayName("an allowed argv runs without a shell, its program resolved to an absolute path, answered with one framed result")
  void runsAllowedCommand(Vertx vertx) throws Exception {
    int port = start(vertx, enabled(new JsonObject().put("argv", new JsonArray().add("echo")).put("extraArgs", true)));
    try (RawFrameSocket socket = new RawFrameSocket(port)) {
      JsonObject result = result(socket.request(exec(argv("echo", "hello;", "$USER"))));
      assertEquals(0, result.getInteger("exitCode"));
      assertEquals("hello; $USER\n", result.getString("stdout"));
      assertFalse(result.getBoolean("timedOut"));
      assertFalse(result.getBoolean("truncated"));
    }
  }

  @Test
  @DisplayName("an argv entry matches exactly unless it allows extra arguments; shell lines match exactly")
  void matchesExactly(Vertx vertx) throws Exception {
    JsonArray allow = new JsonArray()
      .add(new JsonObject().put("argv", new JsonArray().add("df").add("-h")))
      .add(new JsonObject().put("shell", "echo from-shell"));
    int port = start(vertx, enabled(allow));
    try (RawFrameSocket socket = new RawFrameSocket(port)) {
      assertEquals("ERR refused: command not allowed: [\"rm\",\"-rf\",\"/tmp/x\"]", socket.request(exec(argv("rm", "-rf", "/tmp/x"))));
      assertEquals("ERR refused: command not allowed: [\"df\"]", socket.request(exec(argv("df"))));
      assertEquals("ERR refused: command not allowed: [\"df\",\"-h\",\"--output=source\",\"/etc/shadow\"]",
        socket.request(exec(argv("df", "-h", "--output=source", "/etc/shadow"))));
      assertEquals("ERR refused: this shell command line is not allowed",
        socket.request(exec(argv("echo from-shell; rm -rf /").put("shell", true))));
      assertEquals("from-shell\n", result(socket.request(exec(argv("echo from-shell").put("shell", true)))).getString("stdout"));
      assertEquals(0, result(socket.request(exec(argv("df", "-h")))).getInteger("exitCode"));
    }
  }

  @Test
  @DisplayName("a request cannot choose the environment or the working directory: another PATH's df never runs")
  void refusesEnvironmentAndDirectory(Vertx vertx, @TempDir Path folder) throws Exception {
    Path fake = folder.resolve("df");
    Files.writeString(fake, "#!/bin/sh\necho FAKE DF\n");
    Files.setPosixFilePermissions(fake, PosixFilePermissions.fromString("rwx------"));
    int port = start(vertx, enabled(new JsonObject().put("argv", new JsonArray().add("df").add("-h"))));
    try (RawFrameSocket socket = new RawFrameSocket(port)) {
      String withPath = socket.request(exec(argv("df", "-h").put("env", new JsonObject().put("PATH", folder.toString()))));
      assertTrue(withPath.startsWith("ERR refused: a remote request may not set \"env\""), withPath);
      String withPreload = socket.request(exec(argv("df", "-h").put("env", new JsonObject().put("LD_PRELOAD", fake.toString()))));
      assertTrue(withPreload.startsWith("ERR refused: a remote request may not set \"env\""), withPreload);
      String withCwd = socket.request(exec(argv("df", "-h").put("cwd", folder.toString())));
      assertTrue(withCwd.startsWith("ERR refused: a remote request may not set \"cwd\""), withCwd);
      String real = result(socket.request(exec(argv("df", "-h")))).getString("stdout");
      assertFalse(real.contains("FAKE DF"), real);
      assertTrue(real.contains("Filesystem"), real);
    }
  }

  @Test
  @DisplayName("an allow-list entry may fix the environment and working directory for its command")
  void appliesEntryEnvironment(Vertx vertx, @TempDir Path folder) throws Exception {
    JsonObject entry = new JsonObject().put("shell", "echo $GREETING; pwd").put("env", new JsonObject().put("GREETING", "hi"))
      .put("cwd", folder.toString());
    int port = start(vertx, enabled(entry));
    try (RawFrameSocket socket = new RawFrameSocket(port)) {
      assertEquals("hi\n" + folder.toRealPath() + "\n",
        result(socket.request(exec(argv("echo $GREETING; pwd").put("shell", true)))).getString("stdout"));
    }
  }

  @Test
  @DisplayName("config: a program not found, exec without a token, and extraArgs on a shell line are refused at load")
  void refusesUnsafeConfig() {
    ConfigException missing = assertThrows(ConfigException.class, () -> config(enabled(
      new JsonObject().put("argv", new JsonArray().add("no-such-program-anywhere")))));
    assertTrue(missing.getMessage().startsWith("exec.allow[0].argv: program no-such-program-anywhere was not found in PATH"),
      missing.getMessage());
    ConfigException noToken = assertThrows(ConfigException.class, () -> config(new JsonObject().put("enabled", true)
      .put("allow", new JsonArray().add(new JsonObject().put("argv", new JsonArray().add("true"))))));
    assertTrue(noToken.getMessage().startsWith("exec.token: exec is enabled without a token"), noToken.getMessage());
    ConfigException emptyToken = assertThrows(ConfigException.class, () -> config(new JsonObject().put("enabled", true).put("token", "")
      .put("allow", new JsonArray().add(new JsonObject().put("argv", new JsonArray().add("true"))))));
    assertTrue(emptyToken.getMessage().startsWith("exec.token: exec is enabled without a token"), emptyToken.getMessage());
    ConfigException shellExtra = assertThrows(ConfigException.class, () -> config(enabled(
      new JsonObject().put("shell", "uptime").put("extraArgs", true))));
    assertTrue(shellExtra.getMessage().startsWith("exec.allow[0].extraArgs:"), shellExtra.getMessage());
    RemoteExecConfig open = config(new JsonObject().put("enabled", true).put("allowWithoutToken", true)
      .put("allow", new JsonArray().add(new JsonObject().put("argv", new JsonArray().add("true")))));
    assertTrue(open.enabled() && open.token().isEmpty());
  }

  @Test
  @DisplayName("every command that ran is audited in one escaped line: a newline in argv cannot forge a log line")
  void auditsOneEscapedLine(Vertx vertx) throws Exception {
    try (LogCapture audit = LogCapture.of("io.nbnet.exec.audit")) {
      List<String> lines = audit.lines();
      int port = start(vertx, enabled(new JsonObject().put("argv", new JsonArray().add("echo")).put("extraArgs", true)));
      try (RawFrameSocket socket = new RawFrameSocket(port)) {
        result(socket.request(exec(argv("echo", "x\n2026-11-28 INFO forged line"))));
      }
      assertEquals(1, lines.size(), lines.toString());
      String line = lines.get(0);
      assertFalse(line.contains("\n"), line);
      assertTrue(line.matches("exec peer=127\\.0\\.0\\.1:\\d+ argv=\\[\"/\\S+/echo\",\"x\\\\n2026-11-28 INFO forged line\"] exit=0 durationMs=\\d+ timedOut=false"),
        line);
    }
  }

  @Test
  @DisplayName("five wrong tokens lock the address out: the connection closes, reconnecting does not help, refusals are counted")
  void locksOutTokenGuessers(Vertx vertx) throws Exception {
    int port = start(vertx, new JsonObject().put("enabled", true).put("token", "s3cret").put("lockoutMs", 60_000)
      .put("allow", new JsonArray().add(new JsonObject().put("argv", new JsonArray().add("true")))));
    double before = refusals("locked_out");
    try (RawFrameSocket socket = new RawFrameSocket(port)) {
      for (int i = 0; i < 4; i++) {
        assertEquals("ERR refused: missing or wrong token", socket.request(exec(argv("true").put("token", "guess" + i))));
      }
      String fifth = socket.request(exec(argv("true").put("token", "guess4")));
      assertTrue(fifth.startsWith("ERR refused: too many wrong tokens from 127.0.0.1"), fifth);
      assertTrue(socket.closedByPeer());
    }
    try (RawFrameSocket socket = new RawFrameSocket(port)) {
      String right = socket.request(exec(argv("true").put("token", "s3cret")));
      assertTrue(right.startsWith("ERR refused: too many wrong tokens from 127.0.0.1; refused for another"), right);
      assertTrue(socket.closedByPeer());
    }
    assertEquals(before + 2, refusals("locked_out"));
    try (RawFrameSocket socket = new RawFrameSocket(port)) {
      assertEquals("OK metrics frames from that address still flow", socket.request("metrics frames from that address still flow"));
    }
  }

  @Test
  @DisplayName("with a token configured, requests without the right token are refused; the right one runs")
  void checksTheToken(Vertx vertx) throws Exception {
    int port = start(vertx, new JsonObject().put("enabled", true).put("token", "s3cret")
      .put("allow", new JsonArray().add(new JsonObject().put("argv", new JsonArray().add("true")))));
    try (RawFrameSocket socket = new RawFrameSocket(port)) {
      assertEquals("ERR refused: missing or wrong token", socket.request(exec(argv("true"))));
      assertEquals(0, result(socket.request(exec(argv("true").put("token", "s3cret")))).getInteger("exitCode"));
    }
  }

  @Test
  @DisplayName("a malformed exec request, or one with a NUL in argv, is invalid: error reply, connection closed")
  void rejectsMalformedRequest(Vertx vertx) throws Exception {
    int port = start(vertx, enabled(new JsonObject().put("argv", new JsonArray().add("true"))));
    try (RawFrameSocket socket = new RawFrameSocket(port)) {
      String reply = socket.request(RemoteExecHandler.MAGIC + "{\"argv\": ");
      assertTrue(reply.startsWith("ERR invalid: exec request:"), reply);
      assertTrue(socket.closedByPeer());
    }
    // a NUL can never reach a process: invalid for good, not "unavailable" (which senders retry for ever)
    try (RawFrameSocket socket = new RawFrameSocket(port)) {
      String reply = socket.request(exec(argv("true", "a\u0000b")));
      assertTrue(reply.startsWith("ERR invalid: exec request:"), reply);
      assertTrue(socket.closedByPeer());
    }
  }

  private static double refusals(String reason) {
    var counter = Metrics.globalRegistry.find("nbnet.exec.refusals").tags("service", "test", "reason", reason).counter();
    return counter == null ? 0 : counter.count();
  }

  private static JsonObject argv(String... words) {
    return new JsonObject().put("argv", new JsonArray(List.of((Object[]) words)));
  }

  private static JsonObject result(String reply) {
    assertTrue(reply.startsWith("OK "), reply);
    return new JsonObject(reply.substring(3));
  }

  private static JsonObject enabled(Object allowed) {
    JsonArray allow = allowed instanceof JsonArray array ? array : new JsonArray().add(allowed);
    return new JsonObject().put("enabled", true).put("token", "t").put("allow", allow);
  }

  private static String exec(JsonObject request) {
    if (!request.containsKey("token")) {
      request.put("token", "t");
    }
    return RemoteExecHandler.request(request).toString();
  }

  private static RemoteExecConfig config(JsonObject section) {
    return ConfigView.parse(section, "exec", view -> RemoteExecConfig.from(view, "test", "test.remote.exec." + System.nanoTime()));
  }

  private static int start(Vertx vertx, JsonObject execSection) throws Exception {
    RequestHandler handler = RemoteExec.wrap(vertx, config(execSection), ECHO)
      .toCompletionStage().toCompletableFuture().get(10, TimeUnit.SECONDS);
    return new FrameServer(vertx, "exec-test", FrameServerConfig.defaults("127.0.0.1", 0).withMaxFrameBytes(1 << 20), handler)
      .listen().toCompletionStage().toCompletableFuture().get(10, TimeUnit.SECONDS).actualPort();
  }
}
