package io.nbnet.collector.plugin;

import io.nbnet.exec.CommandRequest;
import io.nbnet.support.config.ConfigView;

import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;

/**
 * One command plugin: {@code command} is an argv array run without a shell, or {@code shell} is a
 * command line for {@code /bin/sh -c}; its output, in {@code format}, becomes samples of this host.
 */
public record PluginConfig(String name, List<String> command, boolean shell, long intervalMillis, long timeoutMillis,
                           PluginFormat format, int maxOutputBytes) {

  public CommandRequest request() {
    return new CommandRequest(command, shell, null, Map.of(), timeoutMillis, maxOutputBytes);
  }

  /** Reads the {@code plugins} array of the collector section. */
  public static List<PluginConfig> listFrom(ConfigView collector) {
    List<PluginConfig> plugins = new ArrayList<>();
    Set<String> names = new HashSet<>();
    for (ConfigView item : collector.sections("plugins")) {
      PluginConfig plugin = from(item);
      if (!names.add(plugin.name())) {
        throw item.error("name", "\"" + plugin.name() + "\" is used twice");
      }
      plugins.add(plugin);
    }
    return plugins;
  }

  private static PluginConfig from(ConfigView config) {
    String name = config.optionalString("name", "[A-Za-z0-9_.-]{1,64}", "a name of 1-64 letters, digits, dots, dashes or underscores")
      .orElseThrow(() -> config.error("name", "missing"));
    boolean shell = config.has("shell");
    if (shell == config.has("command")) {
      throw config.error("command", "give either \"command\" (an argv array) or \"shell\" (a command line)");
    }
    List<String> command = shell ? List.of(config.string("shell", "")) : config.strings("command", List.of());
    if (command.isEmpty() || command.get(0).isEmpty()) {
      throw config.error(shell ? "shell" : "command", "must not be empty");
    }
    long interval = config.longValue("intervalMs", 30_000, 100, 86_400_000);
    long timeout = config.longValue("timeoutMs", Math.min(interval, 10_000), 1, 86_400_000);
    return new PluginConfig(name, command, shell, interval, timeout,
      config.choice("format", PluginFormat.GRAPHITE, PluginFormat.class),
      config.integer("maxOutputBytes", 64 * 1024, 1, 16 * 1024 * 1024));
  }
}
