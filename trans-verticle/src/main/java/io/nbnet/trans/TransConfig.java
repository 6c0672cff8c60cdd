package io.nbnet.trans;

import io.nbnet.buffer.SpoolConfig;
import io.nbnet.exec.remote.RemoteExecConfig;
import io.nbnet.forward.RemoteWriteTarget;
import io.nbnet.support.config.ConfigView;
import io.nbnet.support.config.Endpoint;
import io.nbnet.wire.EventBusConfig;
import io.nbnet.wire.FrameServerConfig;
import io.nbnet.wire.tls.ClientTls;

import java.util.ArrayList;
import java.util.List;
import java.util.Optional;

/**
 * The {@code trans} section of the configuration.
 *
 * @param savers            savers in order of preference; the next one takes over while one is down
 * @param downMillis        how long a saver that failed is skipped before it is tried again
 * @param exec              remote exec (off unless enabled)
 * @param spool             where frames wait while no saver can take them; empty to answer ERR unavailable instead
 * @param eventBus          when present (cluster mode), frames go as event-bus requests to the savers' address
 *                          instead of over TCP to {@code savers}
 * @param kafka             when present (Kafka mode), frames are published to a topic keyed by host instead
 * @param remoteWrite       stores every frame's samples are handed on to as well, once the savers took the frame
 */
public record TransConfig(FrameServerConfig server, List<Endpoint> savers, int connectionsPerSaver,
                          long replyTimeoutMillis, long downMillis, RemoteExecConfig exec, Optional<SpoolConfig> spool,
                          Optional<EventBusConfig> eventBus, Optional<ClientTls> saverTls, Optional<FrameServerConfig> plaintext,
                          Optional<KafkaConfig> kafka, List<RemoteWriteTarget> remoteWrite) {

  public static final int DEFAULT_PORT = 50000;
  /** Where trans's own exec service listens, when remote exec is enabled. */
  static final String EXEC_ADDRESS = "nbnet.exec.trans";

  public static TransConfig from(ConfigView config) {
    List<Endpoint> savers = new ArrayList<>();
    for (String address : config.strings("savers", List.of("127.0.0.1:50001"))) {
      savers.add(Endpoint.parse(address, config.path() + ".savers"));
    }
    if (savers.isEmpty()) {
      throw config.error("savers", "needs at least one saver address");
    }
    FrameServerConfig server = FrameServerConfig.from(config, "0.0.0.0", DEFAULT_PORT);
    return new TransConfig(
      server,
      List.copyOf(savers),
      config.integer("connectionsPerSaver", 2, 1, 1024),
      config.longValue("replyTimeoutMs", 30_000, 10, 3_600_000),
      config.longValue("saverDownMs", 2_000, 0, 3_600_000),
      RemoteExecConfig.from(config.section("exec"), "trans", EXEC_ADDRESS),
      SpoolConfig.from(config.section("spool")),
      EventBusConfig.from(config),
      ClientTls.from(config, "saverTls"),
      plaintext(config, server),
      KafkaConfig.from(config),
      RemoteWriteTarget.listFrom(config));
  }

  /** The optional plaintext door for agents that cannot speak TLS: the same limits, its own address, no TLS. */
  private static Optional<FrameServerConfig> plaintext(ConfigView config, FrameServerConfig server) {
    if (!config.has("plaintext")) {
      return Optional.empty();
    }
    ConfigView plaintext = config.section("plaintext");
    if (server.tls().isEmpty()) {
      throw plaintext.error("host", "is for a trans whose main port speaks TLS; this one has no tls section");
    }
    return Optional.of(server.withPlaintextListener(plaintext.string("host", "127.0.0.1"),
      plaintext.integer("port", DEFAULT_PORT + 10, 0, 65535)));
  }

}
