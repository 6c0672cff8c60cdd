package io.nbnet.wire.tls;

import io.nbnet.wire.ErrorKind;
import io.nbnet.wire.FrameException;
import io.nbnet.wire.MessageHandler;
import io.nbnet.wire.Peer;
import io.nbnet.wire.metrics.WireMeters;
import io.vertx.core.Future;
import io.vertx.core.buffer.Buffer;

import java.util.Locale;
import java.util.Optional;
import java.util.Set;
import java.util.function.Function;
import java.util.logging.Logger;

/**
 * Host identity: a frame from a client certificate may only carry samples of the hosts the
 * certificate names (CN or DNS names, compared case-insensitively and exactly: {@code web1} is not
 * {@code web1.example.net}), unless it names a trusted relay. Frames from the event bus were checked
 * by the nbnet process that took them over TCP. A refusal is answered {@code ERR refused}, logged with
 * the peer and counted; the connection stays open. It checks the message its server decoded, by the
 * hosts {@code hostsOf} finds in it.
 */
public final class HostIdentityHandler<M> implements MessageHandler<M> {

  private static final Logger log = Logger.getLogger(HostIdentityHandler.class.getName());

  private final String server;
  private final Set<String> trustedRelays;
  private final Function<M, Set<String>> hostsOf;
  private final MessageHandler<M> next;
  private final WireMeters meters;

  private HostIdentityHandler(String server, Set<String> trustedRelays, Function<M, Set<String>> hostsOf, MessageHandler<M> next) {
    this.server = server;
    this.trustedRelays = trustedRelays;
    this.hostsOf = hostsOf;
    this.next = next;
    this.meters = new WireMeters(server);
  }

  /** {@code next} behind the check when the server's TLS settings ask for host identity, else {@code next} itself. */
  public static <M> MessageHandler<M> wrap(String server, Optional<ServerTls> tls, Function<M, Set<String>> hostsOf, MessageHandler<M> next) {
    return tls.filter(ServerTls::hostIdentity).<MessageHandler<M>>map(t -> new HostIdentityHandler<>(server, t.trustedRelays(), hostsOf, next))
      .orElse(next);
  }

  @Override
  public Future<Buffer> handle(M message, Buffer payload, Peer peer) {
    if (peer == Peer.EVENT_BUS || peer.names().stream().anyMatch(trustedRelays::contains)) {
      return next.handle(message, payload, peer);
    }
    for (String host : hostsOf.apply(message)) {
      if (!peer.names().contains(host.toLowerCase(Locale.ROOT))) {
        meters.identityRefusal();
        String printable = host.length() > 80 ? host.substring(0, 80) + "..." : host;
        log.warning(server + ": refused a frame from " + peer + " with samples of host " + printable.replaceAll("\\p{Cntrl}", "?")
          + ": its certificate names " + peer.names());
        return Future.failedFuture(new FrameException(ErrorKind.REFUSED, "the client certificate does not name host "
          + printable.replaceAll("\\p{Cntrl}", "?")));
      }
    }
    return next.handle(message, payload, peer);
  }
}
