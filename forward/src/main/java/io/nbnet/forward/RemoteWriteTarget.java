package io.nbnet.forward;

import io.nbnet.buffer.SpoolConfig;
import io.nbnet.support.config.ConfigView;
import io.nbnet.support.config.HttpReceiver;
import io.nbnet.wire.tls.ClientTls;

import java.net.URI;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.TreeMap;

/**
 * One store samples are handed on to with Prometheus remote write: an entry of
 * {@code remoteWrite.targets}.
 *
 * @param name              names the target in logs and on {@code /metrics} (default: the URL's host and port)
 * @param url               the receiver, e.g. {@code http://prometheus:9090/api/v1/write}
 * @param authorization     the {@code Authorization} header: {@code bearerToken} or {@code basicAuth}; never logged
 * @param tls               for an {@code https} URL: the CA, a client certificate (else the JVM's trusted CAs)
 * @param extraLabels       added to every series that has no label of that name
 * @param hostLabel         the label that carries the host (default {@code host}, as the PromQL API names it)
 * @param maxSamplesPerSend samples in one request at most
 * @param batchDelayMillis  the longest a frame waits for others to fill its batch
 * @param shards            requests in flight at once: series are spread over shards by their labels, each shard sends
 *                          its requests one after another so every series goes in time order
 * @param timeoutMillis     a request with no answer (no byte) this long fails and is retried
 * @param maxMemoryFrames   without a spool, the frames the queue holds in memory (past it the oldest is dropped); with one, 0
 * @param spool             the target's own spool: its queue while it is away, the same limits as trans's spool
 * @param maxSeries         series whose last sent time is remembered, so that no sample goes out of order or twice
 */
public record RemoteWriteTarget(String name, URI url, Optional<String> authorization, Optional<ClientTls> tls,
                                Map<String, String> extraLabels, String hostLabel, int maxSamplesPerSend, long batchDelayMillis,
                                int shards, long timeoutMillis, long minBackoffMillis, long maxBackoffMillis, int maxMemoryFrames,
                                Optional<SpoolConfig> spool, int maxSeries) {

  /** The targets of a {@code remoteWrite} section (none when it is absent). */
  public static List<RemoteWriteTarget> listFrom(ConfigView config) {
    if (!config.has("remoteWrite")) {
      return List.of();
    }
    ConfigView section = config.section("remoteWrite");
    List<RemoteWriteTarget> targets = new ArrayList<>();
    Set<String> names = new HashSet<>();
    for (ConfigView target : section.sections("targets")) {
      RemoteWriteTarget parsed = from(target);
      if (!names.add(parsed.name())) {
        throw target.error("name", "\"" + parsed.name() + "\" names two targets: give each its own name (and spool dir)");
      }
      targets.add(parsed);
    }
    return List.copyOf(targets);
  }

  static RemoteWriteTarget from(ConfigView config) {
    HttpReceiver receiver = HttpReceiver.from(config, "http://prometheus:9090/api/v1/write");
    URI url = receiver.url();
    String name = config.string("name", url.getHost() + ":" + receiver.port(), "[A-Za-z0-9_.:-]{1,64}", "letters, digits, _ . : - (up to 64)");
    if (name.equals("savers")) {
      throw config.error("name", "\"savers\" names trans's own spool on /metrics: choose another");
    }
    Optional<ClientTls> tls = ClientTls.from(config, "tls");
    if (tls.isPresent() && !"https".equals(url.getScheme())) {
      throw config.error("tls", "is for an https:// url");
    }
    Map<String, String> extraLabels = new TreeMap<>();
    if (config.has("extraLabels")) {
      ConfigView labels = config.section("extraLabels");
      for (String label : labels.keys()) {
        extraLabels.put(label, labels.string(label, ""));
        if (!label.matches("[a-zA-Z_][a-zA-Z0-9_]*")) {
          throw labels.error(label, "is not a Prometheus label name ([a-zA-Z_][a-zA-Z0-9_]*)");
        }
      }
    }
    String hostLabel = config.string("hostLabel", "host", "[a-zA-Z_][a-zA-Z0-9_]*", "a Prometheus label name");
    long minBackoff = config.longValue("minBackoffMs", 100, 1, 600_000);
    long maxBackoff = config.longValue("maxBackoffMs", 30_000, minBackoff, 3_600_000);
    ConfigView queue = config.section("queue");
    Optional<SpoolConfig> spool = SpoolConfig.from(queue.section("spool"));
    if (spool.isPresent() && queue.has("maxMemoryFrames")) {
      // with memory in front of it, a stop would write the oldest frames behind newer ones: out of order for the target
      throw queue.error("maxMemoryFrames", "goes without a spool: with one, every frame goes to disk first");
    }
    return new RemoteWriteTarget(name, url, receiver.authorization(), tls, Map.copyOf(extraLabels), hostLabel,
      config.integer("maxSamplesPerSend", 2_000, 1, 1_000_000),
      config.longValue("batchDelayMs", 1_000, 1, 600_000),
      config.integer("shards", 4, 1, 64),
      config.longValue("timeoutMs", 30_000, 100, 600_000),
      minBackoff, maxBackoff,
      // with a spool, every frame is on disk before trans answers OK, as in trans's own spool; without one, memory is the queue
      spool.isPresent() ? 0 : queue.integer("maxMemoryFrames", 10_000, 1, 10_000_000),
      spool,
      config.integer("maxSeries", 1_000_000, 1_000, 100_000_000));
  }

  /** Without the secrets: what logs may show. */
  @Override
  public String toString() {
    return "remote write target " + name + " (" + url + (authorization.isPresent() ? ", with credentials" : "") + ")";
  }
}
