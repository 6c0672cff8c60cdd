package io.nbnet.support.http;

import io.vertx.core.Handler;
import io.vertx.core.Vertx;
import io.vertx.core.http.HttpConnection;
import io.vertx.core.http.HttpServer;
import io.vertx.core.http.HttpServerOptions;
import io.vertx.core.http.HttpServerRequest;
import io.vertx.core.http.HttpServerResponse;
import io.vertx.core.http.impl.VertxHttpRequestDecoder;
import io.vertx.core.json.JsonObject;
import io.vertx.core.net.impl.ConnectionBase;

import java.net.InetAddress;
import java.net.UnknownHostException;
import java.util.Locale;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;

/**
 * Puts one HTTP port's {@link HttpLimits} on its server: HTTP/1.1 only (no h2c), connections past
 * {@code maxConnections} (or {@code maxConnectionsPerAddress} from one address) closed as they open, a header late past {@code headerTimeoutMs}, a body late
 * past {@code bodyTimeoutMs} (408) and a kept-alive connection idle past {@code idleTimeoutMs} closed,
 * and a request whose body framing is ambiguous ({@code Content-Length} with {@code Transfer-Encoding},
 * or a coding other than {@code chunked}) answered 400 and its connection closed before anything of it
 * is read as a request. Each refusal is counted and logged through {@link ClientErrors}.
 */
public final class HttpGuard {

  /** How often a connection's deadlines are checked: a deadline is kept to within this. */
  private static final long CHECK_MILLIS = 500;
  /** The name of the request decoder in the pipeline of Vert.x's HTTP/1.x server connections. */
  private static final String DECODER = "httpDecoder";

  private final Vertx vertx;
  private final HttpLimits limits;
  private final ClientErrors errors;
  private final AtomicInteger open = new AtomicInteger();
  private final Map<String, AtomicInteger> perAddress = new ConcurrentHashMap<>();
  private final Map<HttpConnection, Watch> watches = new ConcurrentHashMap<>();
  private HttpServerOptions serverOptions = new HttpServerOptions();

  public HttpGuard(Vertx vertx, String port, HttpLimits limits) {
    this.vertx = vertx;
    this.limits = limits;
    this.errors = new ClientErrors(port);
  }

  public ClientErrors errors() {
    return errors;
  }

  /** True when {@code host} is a loopback address: a port bound there is not reachable from other machines. */
  public static boolean isLoopback(String host) {
    try {
      return InetAddress.getByName(host).isLoopbackAddress();
    } catch (UnknownHostException e) {
      return false;
    }
  }

  /** {@code options} with HTTP/1.1 only and the idle timeout set. */
  public HttpServerOptions options(HttpServerOptions options) {
    serverOptions = options;
    return options.setHttp2ClearTextEnabled(false).setUseAlpn(false) // nothing here needs HTTP/2: one protocol less to defend
      .setIdleTimeout((int) limits.idleTimeoutMs()).setIdleTimeoutUnit(TimeUnit.MILLISECONDS);
  }

  /** {@code server} answering with {@code handler}, within the limits. */
  public HttpServer guard(HttpServer server, Handler<HttpServerRequest> handler) {
    return server
      .connectionHandler(this::opened)
      .invalidRequestHandler(request -> {
        Watch watch = watches.get(request.connection());
        if (watch != null && watch.closing) {
          return; // bytes behind a refused request, on a connection being closed
        }
        errors.report("bad_request", "a malformed request from " + request.remoteAddress() + " was answered " + statusOfInvalid(request)
          + " and its connection closed");
        HttpServerRequest.DEFAULT_INVALID_REQUEST_HANDLER.handle(request);
      })
      .requestHandler(request -> {
        Watch watch = watches.get(request.connection());
        if (watch != null && watch.closing) {
          return; // a request that came behind a refused one, on a connection being closed
        }
        if (watch != null) {
          watch.begin(request);
        }
        if (framingAllowed(request)) {
          handler.handle(request);
        }
      });
  }

  /** Connections open on the port now. */
  public int openConnections() {
    return open.get();
  }

  /**
   * For an endpoint that takes no body: a request that carries one (a {@code Transfer-Encoding}, or a
   * {@code Content-Length} other than 0) is answered 413 and its connection closed, so the body is never
   * read. True when the request was refused.
   */
  public boolean refusedBody(HttpServerRequest request) {
    String length = request.getHeader("Content-Length");
    if (request.getHeader("Transfer-Encoding") == null && (length == null || length.equals("0"))) {
      return false;
    }
    errors.report("body_refused", "a request from " + request.remoteAddress() + " to " + request.path()
      + " carried a body: answered 413, connection closed");
    refuse(request, 413, "requests here carry no body");
    return true;
  }

  /**
   * Answers {@code status} with {@code {"error": message}} and closes the connection once it is sent,
   * so whatever body the request carries is never read.
   */
  public void refuse(HttpServerRequest request, int status, String message) {
    Watch watch = watches.get(request.connection());
    if (watch != null) {
      watch.closing = true;
    }
    HttpServerResponse response = request.response();
    if (response.ended() || response.headWritten()) {
      request.connection().close();
      return;
    }
    response.setStatusCode(status).putHeader("Content-Type", "application/json").putHeader("Cache-Control", "no-store")
      .putHeader("Connection", "close")
      .end(new JsonObject().put("error", message).toBuffer())
      .onComplete(sent -> request.connection().close());
  }

  private void opened(HttpConnection connection) {
    String address = connection.remoteAddress() == null || connection.remoteAddress().hostAddress() == null ? "unknown"
      : connection.remoteAddress().hostAddress();
    int fromAddress = perAddress.computeIfAbsent(address, a -> new AtomicInteger()).incrementAndGet();
    int all = open.incrementAndGet();
    Runnable release = () -> {
      open.decrementAndGet();
      perAddress.computeIfPresent(address, (a, count) -> count.decrementAndGet() <= 0 ? null : count);
    };
    if (all > limits.maxConnections() || fromAddress > limits.maxConnectionsPerAddress()) {
      connection.closeHandler(v -> release.run());
      if (all > limits.maxConnections()) {
        errors.report("too_many_connections", "a connection from " + address + " was closed: " + limits.maxConnections()
          + " are open (maxConnections)");
      } else {
        errors.report("too_many_connections_from_address", "a connection from " + address + " was closed: it has "
          + limits.maxConnectionsPerAddress() + " open (maxConnectionsPerAddress)");
      }
      connection.close();
      return;
    }
    // Vert.x's connection of an HTTP/1.x server: its Netty pipeline is set up and has read nothing yet
    if (connection instanceof ConnectionBase base && base.channel().pipeline().get(DECODER) instanceof VertxHttpRequestDecoder) {
      base.channel().pipeline().replace(DECODER, DECODER, new GuardedRequestDecoder(serverOptions));
    }
    Watch watch = new Watch(connection, System.currentTimeMillis() + limits.headerTimeoutMs());
    watches.put(connection, watch);
    long timer = vertx.setPeriodic(CHECK_MILLIS, id -> watch.check(System.currentTimeMillis()));
    connection.closeHandler(v -> {
      release.run();
      vertx.cancelTimer(timer);
      watches.remove(connection);
    });
  }

  private boolean framingAllowed(HttpServerRequest request) {
    String coding = request.getHeader("Transfer-Encoding");
    if (coding == null) {
      return true;
    }
    String refusal = null;
    if (!coding.trim().toLowerCase(Locale.ROOT).equals("chunked") || request.headers().getAll("Transfer-Encoding").size() > 1) {
      refusal = "Transfer-Encoding \"" + printable(coding) + "\" is not accepted: send chunked or a Content-Length";
    } else if (request.getHeader("Content-Length") != null) {
      refusal = "Content-Length and Transfer-Encoding together are not accepted: send one";
    }
    if (refusal == null) {
      return true;
    }
    errors.report("bad_framing", "a request from " + request.remoteAddress() + " was refused: " + refusal);
    refuse(request, 400, refusal);
    return false;
  }

  private static int statusOfInvalid(HttpServerRequest request) {
    Throwable failure = request.decoderResult().cause();
    String name = failure == null ? "" : failure.getClass().getSimpleName();
    return name.equals("TooLongHttpLineException") ? 414 : name.equals("TooLongHttpHeaderException") ? 431 : 400;
  }

  private static String printable(String value) {
    String cut = value.length() > 40 ? value.substring(0, 40) + "..." : value;
    return cut.replaceAll("[^\\x20-\\x7e]", "?");
  }

  /** One connection's deadline: for its next header, its body, or its next request, whichever it waits for. */
  private final class Watch {

    private final HttpConnection connection;
    private HttpServerRequest request;
    private long deadline;
    private boolean answered;
    /** Refused: nothing more is read from it as a request. */
    private boolean closing;

    Watch(HttpConnection connection, long headerDeadline) {
      this.connection = connection;
      this.deadline = headerDeadline;
    }

    void begin(HttpServerRequest next) {
      request = next;
      answered = false;
      deadline = System.currentTimeMillis() + limits.bodyTimeoutMs();
    }

    void check(long now) {
      if (request != null && !answered) {
        if (request.response().ended()) {
          answered = true; // from now on the connection waits for its next request
          deadline = now + limits.idleTimeoutMs();
        } else if (!request.isEnded() && now >= deadline) {
          errors.report("body_timeout", "a request from " + connection.remoteAddress() + " did not bring its body within "
            + limits.bodyTimeoutMs() + " ms (bodyTimeoutMs): answered 408, connection closed");
          refuse(request, 408, "the body did not arrive within " + limits.bodyTimeoutMs() + " ms");
        }
        return; // a request being answered has no deadline of its own here: its handler bounds it
      }
      if (now >= deadline) {
        if (request == null) {
          errors.report("header_timeout", "a connection from " + connection.remoteAddress() + " did not send a complete request header within "
            + limits.headerTimeoutMs() + " ms (headerTimeoutMs): closed");
        }
        connection.close(); // after an answer: kept alive past idleTimeoutMs without a next request
      }
    }
  }
}
