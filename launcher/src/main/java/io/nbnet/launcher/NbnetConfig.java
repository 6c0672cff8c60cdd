package io.nbnet.launcher;

import io.nbnet.support.config.ConfigException;
import io.nbnet.support.config.ConfigView;
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
import java.util.logging.Level;
import java.util.stream.Collectors;

/**
 * The whole configuration file: {@code components} lists the roles this process runs, and each role
 * has a section under its own name. Everything is validated before Vert.x starts.
 */
public record NbnetConfig(Set<Component> components, JsonObject json, Optional<MonitorConfig> monitor, long reloadScanMillis,
                          Map<String, Level> logLevels, Optional<ServerTls> clusterTls) {

  /** Where /metrics and /health are served, when the config has a {@code monitor} section; HTTPS with its {@code tls} section. */
  public record MonitorConfig(String host, int port, Optional<ServerTls> tls) {
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
      Component component = Component.named(name);
      if (component == null) {
        throw new ConfigException("components: unknown component \"" + name + "\" (known: "
          + Arrays.stream(Component.values()).map(Component::configName).collect(Collectors.joining(", ")) + ")");
      }
      if (!components.add(component)) {
        throw new ConfigException("components: \"" + name + "\" is listed twice");
      }
    }
    if (components.isEmpty()) {
      throw new ConfigException("components: the list is empty; name at least one of collector, trans, saver");
    }
    for (Component component : Component.values()) {
      if (components.contains(component)) {
        component.validate(root.section(component.configName()));
      } else {
        root.ignore(component.configName()); // the section of a role this process does not run may stay in the file
      }
    }
    Optional<MonitorConfig> monitor = Optional.empty();
    if (root.has("monitor")) {
      ConfigView section = root.section("monitor");
      monitor = Optional.of(new MonitorConfig(section.string("host", "127.0.0.1"), section.integer("port", 9100, 0, 65535),
        ServerTls.from(section)));
    }
    long scanMillis = root.section("reload").longValue("scanPeriodMs", 5_000, 0, 86_400_000);
    return new NbnetConfig(components, json, monitor, scanMillis, logLevels(root.section("logging")), clusterTls(root.section("cluster")));
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

  public JsonObject section(Component component) {
    JsonObject section = json.getJsonObject(component.configName());
    return section == null ? new JsonObject() : section;
  }
}
