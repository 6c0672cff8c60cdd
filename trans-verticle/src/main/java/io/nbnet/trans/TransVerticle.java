package io.nbnet.trans;

import io.micrometer.core.instrument.Tags;
import io.nbnet.buffer.BufferMeters;
import io.nbnet.buffer.Outbox;
import io.nbnet.exec.remote.RemoteExec;
import io.nbnet.formats.InvalidPayloadException;
import io.nbnet.formats.PayloadHosts;
import io.nbnet.forward.ForwardTargets;
import io.nbnet.support.config.ConfigDiff;
import io.nbnet.support.config.Section;
import io.nbnet.support.metrics.NbnetMeters;
import io.nbnet.wire.DecodingHandler;
import io.nbnet.wire.FrameException;
import io.nbnet.wire.FrameServer;
import io.nbnet.wire.RequestHandler;
import io.nbnet.wire.tls.HostIdentityHandler;
import io.nbnet.wire.tls.ServerTls;
import io.vertx.core.Future;
import io.vertx.core.VerticleBase;
import io.vertx.core.buffer.Buffer;
import io.vertx.core.net.NetClientOptions;

import java.util.Optional;
import java.util.Set;
import java.util.logging.Logger;

/**
 * The relay: a frame server whose every request is forwarded to a saver, except remote exec requests
 * when the {@code exec} section enables them. Config: the {@code trans} section.
 */
public class TransVerticle extends VerticleBase {

  private static final Logger log = Logger.getLogger(TransVerticle.class.getName());

  private FrameServer server;
  /** The plaintext door for old agents beside a TLS port, when configured. */
  private FrameServer plaintext;
  private Forwarder savers;
  private SpoolingForwarder spooling;
  private ForwardTargets targets;
  private final Section<TransConfig> section;

  public TransVerticle(Section<TransConfig> section) {
    this.section = section;
  }

  /** A new version of the section: trans applies none of it while it runs, and says so when it differs. */
  public void reconfigure(Section<TransConfig> next) {
    ConfigDiff.warnIfRestartNeeded(log, "trans", section, next, Set.of());
  }

  @Override
  public Future<?> start() {
    TransConfig config = section.config();
    savers = config.kafka().isPresent() ? new KafkaForwarder(vertx, config.kafka().get())
      : config.eventBus().isPresent() ? new EventBusForwarder(vertx, config.eventBus().get().address(), config.replyTimeoutMillis())
      : new SaverFailover(vertx, vertx.createNetClient(config.saverTls().map(tls -> tls.applyTo(saverClientOptions()))
        .orElseGet(TransVerticle::saverClientOptions)), config);
    return withSpool(config)
      .compose(relay -> withTargets(config, relay))
      .compose(relay -> RemoteExec.start(vertx, config.exec()).compose(exec -> {
        server = new FrameServer(vertx, "trans", config.server(), exec.wrap(requests(config, relay, config.server().tls())));
        if (config.plaintext().isEmpty()) {
          return server.listen();
        }
        plaintext = new FrameServer(vertx, "trans-plaintext", config.plaintext().get(), exec.wrap(requests(config, relay, Optional.empty())));
        return server.listen().compose(s -> plaintext.listen());
      }));
  }

  /**
   * What a server of trans does with a request (remote exec aside): pass it on as it came, or, where its
   * hosts are needed (host identity, Kafka mode's partitions), look into it once, check it and pass it
   * on with its hosts.
   */
  private RequestHandler requests(TransConfig config, Relay relay, Optional<ServerTls> tls) {
    boolean identity = tls.filter(ServerTls::hostIdentity).isPresent();
    if (!identity && config.kafka().isEmpty()) {
      return relay;
    }
    return new DecodingHandler<>(vertx, TransVerticle::hostsOf, HostIdentityHandler.wrap("trans", tls, PayloadHosts::hosts, relay));
  }

  private static PayloadHosts hostsOf(Buffer payload) {
    try {
      return PayloadHosts.of(payload);
    } catch (InvalidPayloadException e) {
      throw FrameException.invalid(e.getMessage());
    }
  }

  private static NetClientOptions saverClientOptions() {
    return new NetClientOptions().setTcpNoDelay(true).setConnectTimeout(5_000);
  }

  /** The savers alone, or the savers with trans's spool behind them. */
  private Future<Relay> withSpool(TransConfig config) {
    if (config.spool().isEmpty()) {
      return Future.succeededFuture(savers);
    }
    return Outbox.open(vertx, "trans's spool", 0, config.spool()).map(spool -> {
      BufferMeters.register(NbnetMeters.registry(), Tags.of("target", "savers"), spool.stats());
      spooling = new SpoolingForwarder(vertx, savers, spool);
      spooling.start();
      return spooling;
    });
  }

  /** The relay alone, or with the remote write targets every frame the savers took is handed on to. */
  private Future<Relay> withTargets(TransConfig config, Relay relay) {
    if (config.remoteWrite().isEmpty()) {
      return Future.succeededFuture(relay);
    }
    return ForwardTargets.open(vertx, config.remoteWrite()).map(opened -> {
      targets = opened;
      config.remoteWrite().forEach(target -> log.info("handing samples on to " + target));
      return new ForwardingRelay(relay, opened::offer);
    });
  }

  @Override
  public Future<?> stop() {
    savers.close();
    Future<Void> closed = (server == null ? Future.<Void>succeededFuture() : server.close())
      .eventually(() -> plaintext == null ? Future.succeededFuture() : plaintext.close())
      .eventually(() -> targets == null ? Future.succeededFuture() : targets.close());
    return spooling == null ? closed : closed.compose(v -> spooling.stop());
  }

  /** The port trans listens on (useful when configured with port 0). */
  public int actualPort() {
    return server.actualPort();
  }
}
