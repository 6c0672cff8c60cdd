package io.nbnet.support.http;

import io.micrometer.core.instrument.Metrics;
import io.micrometer.core.instrument.simple.SimpleMeterRegistry;
import io.nbnet.support.testing.Await;
import io.vertx.core.Vertx;
import io.vertx.core.VertxOptions;
import io.vertx.core.http.HttpServer;
import io.vertx.core.http.HttpServerOptions;
import io.vertx.micrometer.MicrometerMetricsFactory;
import io.vertx.micrometer.MicrometerMetricsOptions;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.net.Socket;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;

import static org.awaitility.Awaitility.await;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** Each limit of {@link HttpGuard} against a raw socket that breaks it. */
class HttpGuardTest {

  private static final SimpleMeterRegistry meters = new SimpleMeterRegistry();
  private static Vertx vertx;
  private final List<String> handled = new CopyOnWriteArrayList<>();
  private final List<Socket> sockets = new ArrayList<>();
  private HttpServer server;

  @BeforeAll
  static void start() {
    Metrics.globalRegistry.add(meters);
    vertx = Vertx.builder().with(new VertxOptions().setMetricsOptions(new MicrometerMetricsOptions().setEnabled(true)))
      .withMetrics(new MicrometerMetricsFactory(meters)).build();
  }

  @AfterAll
  static void stop() {
    Await.result(vertx.close());
    Metrics.globalRegistry.remove(meters);
  }

  @AfterEach
  void closeAll() throws IOException {
    for (Socket socket : sockets) {
      socket.close();
    }
    if (server != null) {
      Await.result(server.close());
    }
  }

  /** A guarded server answering {@code ok <path>} once it has read the body; {@code /nobody} takes none. */
  private int serve(String port, HttpLimits limits) {
    HttpGuard guard = new HttpGuard(vertx, port, limits);
    server = guard.guard(vertx.createHttpServer(guard.options(new HttpServerOptions().setHost("127.0.0.1").setPort(0))), request -> {
      handled.add(request.path());
      if (request.path().equals("/nobody") && guard.refusedBody(request)) {
        return;
      }
      request.body().onSuccess(body -> request.response().end("ok " + request.path()));
    });
    return Await.result(server.listen()).actualPort();
  }

  private Socket connect(int port) throws IOException {
    Socket socket = new Socket("127.0.0.1", port);
    socket.setSoTimeout(20_000);
    sockets.add(socket);
    return socket;
  }

  private static void send(Socket socket, String text) throws IOException {
    socket.getOutputStream().write(text.getBytes(StandardCharsets.ISO_8859_1));
    socket.getOutputStream().flush();
  }

  /** Everything the server sends until it closes the connection (a read timeout fails the test). */
  private static String readToClose(Socket socket) throws IOException {
    InputStream in = socket.getInputStream();
    ByteArrayOutputStream out = new ByteArrayOutputStream();
    byte[] chunk = new byte[4096];
    for (int n; (n = in.read(chunk)) >= 0; ) {
      out.write(chunk, 0, n);
    }
    return out.toString(StandardCharsets.ISO_8859_1);
  }

  private static double gauge(String name) {
    return meters.find(name).gauges().stream().mapToDouble(gauge -> gauge.value()).sum();
  }

  private static double errors(String port, String kind) {
    var counter = meters.find("nbnet.http.client.errors").tags("port", port, "kind", kind).counter();
    return counter == null ? 0 : counter.count();
  }

  @Test
  void aHeaderTrickledPastItsTimeoutIsClosed() throws IOException {
    int port = serve("trickle", new HttpLimits(300, 10_000, 10_000, 10, 10));
    Socket socket = connect(port);
    send(socket, "GET / HTTP/1.1\r\nHo");
    assertEquals("", readToClose(socket));
    assertTrue(handled.isEmpty());
    assertEquals(1, errors("trickle", "header_timeout"));
    // once the server has closed it, a request never begun is not counted as one (Netty's broken request at the close is not handed on)
    await().until(() -> gauge("vertx.http.server.active.connections") == 0);
    assertEquals(0, errors("trickle", "bad_request"));
    assertEquals(0, gauge("vertx.http.server.active.requests"));
  }

  @Test
  void aBodyTrickledPastItsTimeoutIsAnswered408AndClosed() throws IOException {
    int port = serve("slowbody", new HttpLimits(10_000, 300, 10_000, 10, 10));
    Socket socket = connect(port);
    send(socket, "POST /slow HTTP/1.1\r\nHost: x\r\nContent-Length: 10\r\n\r\nab");
    String answer = readToClose(socket);
    assertTrue(answer.startsWith("HTTP/1.1 408"), answer);
    assertEquals(1, errors("slowbody", "body_timeout"));
  }

  @Test
  void aKeptAliveConnectionIdlePastItsTimeoutIsClosed() throws IOException {
    int port = serve("idle", new HttpLimits(10_000, 10_000, 400, 10, 10));
    Socket socket = connect(port);
    send(socket, "GET /first HTTP/1.1\r\nHost: x\r\n\r\n");
    String answer = readToClose(socket);
    assertTrue(answer.startsWith("HTTP/1.1 200") && answer.endsWith("ok /first"), answer);
  }

  @Test
  void connectionsPastTheCapAreClosedAsTheyOpen() throws IOException {
    int port = serve("cap", new HttpLimits(10_000, 10_000, 10_000, 3, 3));
    for (int i = 0; i < 3; i++) {
      send(connect(port), "GET /held HTTP/1.1\r\nHost: x\r\n\r\n");
    }
    await().until(() -> handled.size() == 3);
    Socket fourth = connect(port);
    assertEquals("", readToClose(fourth));
    assertEquals(1, errors("cap", "too_many_connections"));
    sockets.get(0).close();
    await().untilAsserted(() -> {
      Socket next = connect(port);
      send(next, "GET /after HTTP/1.1\r\nHost: x\r\nConnection: close\r\n\r\n");
      assertTrue(readToClose(next).endsWith("ok /after"));
    });
  }

  @Test
  void oneAddressCannotTakeEveryConnection() throws IOException {
    int port = serve("peraddress", new HttpLimits(10_000, 10_000, 10_000, 100, 2));
    for (int i = 0; i < 2; i++) {
      send(connect(port), "GET /held HTTP/1.1\r\nHost: x\r\n\r\n");
    }
    await().until(() -> handled.size() == 2);
    assertEquals("", readToClose(connect(port)), "a third from 127.0.0.1 is closed");
    assertEquals(1, errors("peraddress", "too_many_connections_from_address"));
    Socket other = new Socket(java.net.InetAddress.getLoopbackAddress(), port, java.net.InetAddress.getByName("127.0.0.2"), 0);
    other.setSoTimeout(20_000);
    sockets.add(other);
    send(other, "GET /other HTTP/1.1\r\nHost: x\r\nConnection: close\r\n\r\n");
    assertTrue(readToClose(other).endsWith("ok /other"), "another address still gets in");
  }

  @Test
  void anUnknownTransferCodingIsRefusedAndWhatFollowsIsNeverReadAsARequest() throws IOException {
    int port = serve("framing", HttpLimits.DEFAULTS);
    Socket socket = connect(port);
    send(socket, "POST /front HTTP/1.1\r\nHost: x\r\nTransfer-Encoding: xchunked\r\n\r\n"
      + "GET /smuggled HTTP/1.1\r\nHost: x\r\n\r\n");
    String answer = readToClose(socket);
    assertTrue(answer.startsWith("HTTP/1.1 400"), answer);
    assertTrue(answer.contains("xchunked"), answer);
    assertTrue(!handled.contains("/smuggled") && !handled.contains("/front"), handled.toString());
    assertEquals(1, errors("framing", "bad_framing"));
  }

  @Test
  void contentLengthWithTransferEncodingIsRefused() throws IOException {
    int port = serve("clte", HttpLimits.DEFAULTS);
    Socket socket = connect(port);
    send(socket, "POST /front HTTP/1.1\r\nHost: x\r\nContent-Length: 40\r\nTransfer-Encoding: chunked\r\n\r\n"
      + "0\r\n\r\nGET /smuggled HTTP/1.1\r\nHost: x\r\n\r\n");
    String answer = readToClose(socket);
    assertTrue(answer.startsWith("HTTP/1.1 400"), answer);
    assertTrue(!handled.contains("/smuggled") && !handled.contains("/front"), handled.toString());
  }

  @Test
  void aBodyWhereNoneIsTakenIsRefusedUnread() throws IOException {
    int port = serve("nobody", HttpLimits.DEFAULTS);
    Socket socket = connect(port);
    send(socket, "GET /nobody HTTP/1.1\r\nHost: x\r\nContent-Length: 100000000\r\n\r\n" + "x".repeat(10_000));
    String answer = readToClose(socket);
    assertTrue(answer.startsWith("HTTP/1.1 413"), answer);
    assertEquals(1, errors("nobody", "body_refused"));
  }

  @Test
  void aMalformedRequestIsCountedAndClosed() throws IOException {
    int port = serve("malformed", HttpLimits.DEFAULTS);
    Socket socket = connect(port);
    send(socket, "GET /" + "a".repeat(10_000) + " HTTP/1.1\r\nHost: x\r\n\r\n");
    String answer = readToClose(socket);
    assertTrue(answer.startsWith("HTTP/1.0 414") || answer.startsWith("HTTP/1.1 414"), answer);
    assertEquals(1, errors("malformed", "bad_request"));
  }
}
