package io.nbnet.collector.plugin;

import io.nbnet.formats.parsers.GraphiteParser;
import io.nbnet.formats.parsers.InfluxParser;
import io.nbnet.formats.parsers.JsonSamplesParser;
import io.nbnet.formats.parsers.KeyValueParser;
import io.nbnet.formats.parsers.SampleParser;

/**
 * The output formats a plugin may print, by the name its config gives: {@code legacy} (the old
 * agent's {@code key:value} lines, stored as {@code UD_<key>} text values), {@code graphite},
 * {@code influx} and {@code json}.
 */
public enum PluginFormat {
  LEGACY(new KeyValueParser()),
  GRAPHITE(new GraphiteParser()),
  INFLUX(new InfluxParser()),
  JSON(new JsonSamplesParser());

  private final SampleParser parser;

  PluginFormat(SampleParser parser) {
    this.parser = parser;
  }

  public SampleParser parser() {
    return parser;
  }
}
