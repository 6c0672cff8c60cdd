package io.nbnet.collector;

import io.nbnet.buffer.SpoolConfig;
import io.nbnet.collector.plugin.PluginConfig;
import io.nbnet.collector.proc.HostSampler;
import io.nbnet.collector.push.PushConfig;
import io.nbnet.collector.push.StatsdConfig;
import io.nbnet.collector.ship.ShipperConfig;
import io.nbnet.exec.ExecConfig;
import io.nbnet.support.config.ConfigView;
import io.nbnet.support.config.Endpoint;
import io.nbnet.wire.EventBusConfig;
import io.nbnet.wire.tls.ClientTls;

import java.io.IOException;
import java.net.InetAddress;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Optional;
import java.util.Set;
import java.util.TreeSet;

/**
 * The {@code collector} section of the configuration.
 *
 * @param target where frames go: trans, or the saver when {@code trans.enabled} is false
 * @param eventBus when present (cluster mode), frames go as event-bus requests to the savers' address instead
 *                 of over TCP to {@code target}
 * @param spool  where frames wait on disk while the next hop is away; empty keeps them in memory only
 * @param tls    TLS toward the next hop (trans or saver), when the section has a {@code tls} section
 * @param disabledSources the sources {@code collector.sources} turns off ({@code "percpu": false})
 * @param push   where applications may push samples to this collector over HTTP
 * @param statsd StatsD over UDP
 */
public record CollectorConfig(String host, String sourceId, long intervalMillis, Path procRoot,
                              Endpoint target, boolean viaTrans, Optional<EventBusConfig> eventBus, ShipperConfig shipping,
                              Optional<SpoolConfig> spool, List<PluginConfig> plugins, int pluginsMaxConcurrent,
                              Optional<ClientTls> tls, Path sysRoot, Set<String> disabledSources, PushConfig push,
                              StatsdConfig statsd) {

  public static CollectorConfig from(ConfigView config) {
    ConfigView trans = config.section("trans");
    ConfigView saver = config.section("saver");
    ConfigView push = config.section("push");
    boolean viaTrans = trans.bool("enabled", true);
    Endpoint transAddress = Endpoint.parse(trans.string("address", "127.0.0.1:50000"), trans.path() + ".address");
    Endpoint saverAddress = Endpoint.parse(saver.string("address", "127.0.0.1:50001"), saver.path() + ".address");
    Path procRoot = Path.of(config.string("procRoot", "/proc"));
    String host = config.optionalString("host").orElseGet(() -> localHostName(procRoot));
    if (host.isEmpty() || host.length() > 255) {
      throw config.error("host", "must have 1..255 characters");
    }
    return new CollectorConfig(host,
      config.string("sourceId", "collector@" + host),
      config.longValue("intervalMs", 10_000, 100, 86_400_000),
      procRoot, viaTrans ? transAddress : saverAddress, viaTrans,
      EventBusConfig.from(config),
      ShipperConfig.from(config.section("shipping")),
      SpoolConfig.from(config.section("spool")),
      PluginConfig.listFrom(config),
      config.integer("pluginsMaxConcurrent", 4, 1, 256),
      ClientTls.from(config, "tls"),
      Path.of(config.string("sysRoot", "/sys")),
      disabledSources(config.section("sources")),
      PushConfig.from(push),
      StatsdConfig.from(push));
  }

  /** {@code sources}: a source's name -> false to turn it off; every source is on by default. */
  private static Set<String> disabledSources(ConfigView sources) {
    Set<String> disabled = new TreeSet<>();
    for (String name : HostSampler.SOURCES) {
      if (!sources.bool(name, true)) {
        disabled.add(name);
      }
    }
    return Set.copyOf(disabled);
  }

  /** The keys {@link #withHotSettingsOf} takes from a new version while the collector runs. */
  public static final Set<String> HOT_KEYS = Set.of("intervalMs", "plugins");

  /** This config with the interval and plugins of {@code other}: the settings a running collector changes at once. */
  public CollectorConfig withHotSettingsOf(CollectorConfig other) {
    return new CollectorConfig(host, sourceId, other.intervalMillis, procRoot, target, viaTrans, eventBus, shipping, spool,
      other.plugins, pluginsMaxConcurrent, tls, sysRoot, disabledSources, push, statsd);
  }

  /** The exec service the plugins run on: enough room for every plugin's timeout and output. */
  public ExecConfig pluginExec(String address) {
    long timeout = plugins.stream().mapToLong(PluginConfig::timeoutMillis).max().orElse(1);
    int output = plugins.stream().mapToInt(PluginConfig::maxOutputBytes).max().orElse(0);
    return new ExecConfig("collector-plugins", address, pluginsMaxConcurrent, plugins.size(), timeout, output);
  }

  private static String localHostName(Path procRoot) {
    try {
      String name = Files.readString(procRoot.resolve("sys/kernel/hostname")).trim();
      if (!name.isEmpty()) {
        return name;
      }
    } catch (IOException e) {
      // not Linux, or a proc folder without it: ask the JDK
    }
    try {
      return InetAddress.getLocalHost().getHostName();
    } catch (IOException e) {
      return "localhost";
    }
  }
}
