package io.nbnet.launcher;

import io.nbnet.collector.CollectorConfig;
import io.nbnet.saver.SaverConfig;
import io.nbnet.support.config.ConfigException;
import io.nbnet.support.config.ConfigView;
import io.nbnet.support.config.Section;
import io.nbnet.support.http.HttpLimits;
import io.nbnet.trans.TransConfig;
import io.nbnet.wire.tls.ServerTls;
import io.vertx.core.http.ClientAuth;
import io.vertx.core.json.JsonObject;

import java.util.Arrays;
import java.util.EnumSet;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.TreeMap;
import java.util.function.Function;
import java.util.logging.Level;
import java.util.stream.Collectors;

/**
 * The whole configuration file: {@code components} lists the roles this process runs, and each role
 * has a section under its own name. Everything is validated before Vert.x starts, in one parse (and one
 * per change of the file) whose typed sections go to the components.
 *
 * @param collector the collector's section when it runs in this process (likewise {@code trans}, {@code saver})
 */
public record NbnetConfig(Set<Component> components, JsonObject json, Optional<MonitorConfig> monitor, long reloadScanMillis,
                          Map<String, Level> logLevels, Optional<ServerTls> clusterTls, Optional<Section<CollectorConfig>> collector,
                          Optional<Section<TransConfig>> trans, Optional<Section<SaverConfig>> saver) {

  /** Where /metrics and /health are served, when the config has a {@code monitor} section; HTTPS with its {@code tls} section. */
  public record MonitorConfig(String host, int port, Optional<ServerTls> tls, HttpLimits limits) {
  }

  public static NbnetConfig parse(JsonObject json) {
    return ConfigView.parse(json, "", root -> read(root, json));
  }

  private static NbnetConfig read(ConfigView root, JsonObject json) {
    if (!root.has("components")) {
      throw new ConfigException("components: missing; list the roles to run, e.g. \"components\": [\"collector\", \"trans\", \"saver\"]");
    }
    Set<Component> components = EnumSet.noneOf(Component.class);
    for (String name : root.strings("components", List.of())) {
      Component component = Component.named(name).orElseThrow(() -> new ConfigException("components: unknown component \"" + name
        + "\" (known: " + Arrays.stream(Component.values()).map(Component::configName).collect(Collectors.joining(", ")) + ")"));
      if (!components.add(component)) {
        throw new ConfigException("components: \"" + name + "\" is listed twice");
      }
    }
    if (components.isEmpty()) {
      throw new ConfigException("components: the list is empty; name at least one of collector, trans, saver");
    }
    for (Component component : Component.values()) {
      if (!components.contains(component)) {
        root.ignore(component.configName()); // the section of a role this process does not run may stay in the file
      }
    }
    Optional<MonitorConfig> monitor = Optional.empty();
    if (root.has("monitor")) {
      ConfigView section = root.section("monitor");
      monitor = Optional.of(new MonitorConfig(section.string("host", "127.0.0.1"), section.integer("port", 9100, 0, 65535),
        ServerTls.from(section), HttpLimits.from(section)));
    }
    long scanMillis = root.section("reload").longValue("scanPeriodMs", 5_000, 0, 86_400_000);
    // in the order the components start, so the first bad key reported is of the first to start
    Optional<Section<SaverConfig>> saver = section(root, json, components, Component.SAVER, SaverConfig::from);
    Optional<Section<TransConfig>> trans = section(root, json, components, Component.TRANS, TransConfig::from);
    Optional<Section<CollectorConfig>> collector = section(root, json, components, Component.COLLECTOR, CollectorConfig::from);
    return new NbnetConfig(components, json, monitor, scanMillis, logLevels(root.section("logging")), clusterTls(root.section("cluster")),
      collector, trans, saver);
  }

  /** The component's section, read once, when the process runs it. */
  private static <T> Optional<Section<T>> section(ConfigView root, JsonObject json, Set<Component> components, Component component,
                                                  Function<ConfigView, T> reader) {
    if (!components.contains(component)) {
      return Optional.empty();
    }
    JsonObject section = json.getJsonObject(component.configName());
    return Optional.of(new Section<>(reader.apply(root.section(component.configName())), section == null ? new JsonObject() : section));
  }

  /** This configuration with another saver section (the demo's, pointed at the MariaDB it started). */
  public NbnetConfig withSaver(SaverConfig newSaver) {
    return new NbnetConfig(components, json, monitor, reloadScanMillis, logLevels, clusterTls, collector, trans,
      saver.map(section -> new Section<>(newSaver, section.json())));
  }

  /** {@code cluster.tls}: mutual TLS on the event bus between cluster members; every member needs the same CA. */
  private static Optional<ServerTls> clusterTls(ConfigView cluster) {
    Optional<ServerTls> tls = ServerTls.from(cluster);
    if (tls.isPresent() && tls.get().clientAuth() != ClientAuth.REQUIRED) {
      throw cluster.section("tls").error("clientAuth", "must be required on the event bus: members authenticate each other");
    }
    return tls;
  }

  /** {@code logging.levels}: logger name -> java.util.logging level, e.g. {"io.nbnet": "FINE"}. */
  private static Map<String, Level> logLevels(ConfigView logging) {
    ConfigView levels = logging.section("levels");
    Map<String, Level> parsed = new TreeMap<>();
    for (String logger : levels.keys()) {
      String name = levels.string(logger, "INFO");
      try {
        parsed.put(logger, Level.parse(name.toUpperCase()));
      } catch (IllegalArgumentException e) {
        throw levels.error(logger, "not a log level: \"" + name + "\" (SEVERE, WARNING, INFO, CONFIG, FINE, FINER, FINEST, ALL, OFF)");
      }
    }
    return parsed;
  }
}
