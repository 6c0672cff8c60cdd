package io.nbnet.wire.tls;

import io.micrometer.core.instrument.Metrics;
import io.micrometer.core.instrument.simple.SimpleMeterRegistry;
import io.nbnet.support.metrics.NbnetMeters;
import io.nbnet.support.testing.LogCapture;
import io.nbnet.wire.ErrorKind;
import io.nbnet.wire.FrameException;
import io.nbnet.wire.MessageHandler;
import io.nbnet.wire.Peer;
import io.nbnet.wire.Replies;
import io.vertx.core.Future;
import io.vertx.core.buffer.Buffer;
import io.vertx.core.http.ClientAuth;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.DisplayName;
import org.junit.jupiter.api.Test;

import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.Set;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertSame;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * Host identity on its own: which decoded messages pass to the handler behind, which are refused, and
 * what a refusal says, counts and logs. The messages here are sets of host names, as a decoder makes them.
 */
class HostIdentityHandlerTest {

  private static final Buffer PAYLOAD = Buffer.buffer("the payload as it came");

  private final List<Set<String>> passed = new ArrayList<>();
  private final MessageHandler<Set<String>> next = (hosts, payload, peer) -> {
    assertSame(PAYLOAD, payload, "the payload goes along unchanged");
    passed.add(hosts);
    return Future.succeededFuture(Replies.ok());
  };
  private LogCapture log;

  @BeforeAll
  static void countMeters() {
    if (Metrics.globalRegistry.getRegistries().isEmpty()) {
      Metrics.addRegistry(new SimpleMeterRegistry());
    }
  }

  @BeforeEach
  void captureLog() {
    log = LogCapture.of(HostIdentityHandler.class.getName());
  }

  @AfterEach
  void releaseLog() {
    log.close();
  }

  @Test
  @DisplayName("without host identity in the TLS settings (or without TLS) the handler behind gets every message itself")
  void offUnlessAsked() {
    assertSame(next, HostIdentityHandler.wrap("s", Optional.empty(), hosts -> hosts, next));
    assertSame(next, HostIdentityHandler.wrap("s", Optional.of(tls(false, Set.of())), hosts -> hosts, next));
  }

  @Test
  @DisplayName("a certificate passes the hosts it names, compared without case but exactly: web1 is not web1.example.net")
  void namesMustMatchExactly() {
    MessageHandler<Set<String>> checked = HostIdentityHandler.wrap("s", Optional.of(tls(true, Set.of())), hosts -> hosts, next);
    Peer web1 = new Peer("10.0.0.1:40000", "10.0.0.1", Set.of("web1", "web1.example.net"));

    assertTrue(checked.handle(Set.of("WEB1"), PAYLOAD, web1).succeeded());
    assertTrue(checked.handle(Set.of("web1", "web1.example.net"), PAYLOAD, web1).succeeded());
    assertEquals(2, passed.size());

    Future<Buffer> other = checked.handle(Set.of("web1", "web2"), PAYLOAD, web1);
    assertRefused(other, "the client certificate does not name host web2");
    Future<Buffer> suffix = checked.handle(Set.of("web1.example"), PAYLOAD, new Peer("a", "a", Set.of("web1.example.net")));
    assertRefused(suffix, "does not name host web1.example");
    Future<Buffer> noNames = checked.handle(Set.of("web1"), PAYLOAD, new Peer("a", "a", Set.of()));
    assertRefused(noNames, "does not name host web1");
    assertEquals(2, passed.size(), "no refused message reaches the handler behind");
  }

  @Test
  @DisplayName("a trusted relay's certificate and the event bus pass any host: their senders were checked where they came in")
  void relaysAndTheEventBusPass() {
    MessageHandler<Set<String>> checked = HostIdentityHandler.wrap("s", Optional.of(tls(true, Set.of("trans-1"))), hosts -> hosts, next);

    assertTrue(checked.handle(Set.of("web9"), PAYLOAD, new Peer("a", "a", Set.of("trans-1"))).succeeded());
    assertTrue(checked.handle(Set.of("web9"), PAYLOAD, Peer.EVENT_BUS).succeeded());
    assertEquals(2, passed.size());
  }

  @Test
  @DisplayName("a refusal is counted and logged with the peer; a host name's control characters never reach the log or the reply")
  void refusalsAreCountedAndLoggedSafely() {
    MessageHandler<Set<String>> checked = HostIdentityHandler.wrap("idtest", Optional.of(tls(true, Set.of())), hosts -> hosts, next);
    double before = refusals();
    String forged = "web2\n12:00:00 INFO everything is fine";

    Future<Buffer> refused = checked.handle(Set.of(forged), PAYLOAD, new Peer("10.0.0.1:1", "10.0.0.1", Set.of("web1")));

    assertRefused(refused, "does not name host web2?12:00:00 INFO everything is fine");
    assertEquals(before + 1, refusals());
    assertEquals(1, log.lines().size());
    String line = log.lines().get(0);
    assertTrue(line.startsWith("idtest: refused a frame from "), line);
    assertFalse(line.contains("\n"), line);
  }

  private static void assertRefused(Future<Buffer> reply, String message) {
    assertTrue(reply.failed());
    FrameException error = (FrameException) reply.cause();
    assertEquals(ErrorKind.REFUSED, error.kind());
    assertTrue(error.getMessage().contains(message), error.getMessage());
  }

  private static double refusals() {
    var counter = NbnetMeters.registry().find("nbnet.identity.refusals").tag("server", "idtest").counter();
    return counter == null ? 0 : counter.count();
  }

  private static ServerTls tls(boolean hostIdentity, Set<String> trustedRelays) {
    return new ServerTls(Path.of("cert.pem"), Path.of("key.pem"), Optional.of(Path.of("ca.pem")), ClientAuth.REQUIRED, List.of(), 10_000,
      hostIdentity, trustedRelays, 10_000);
  }
}
