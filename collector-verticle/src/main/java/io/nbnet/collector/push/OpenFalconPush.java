package io.nbnet.collector.push;

import io.nbnet.formats.Sample;
import io.nbnet.formats.SampleLimits;
import io.nbnet.formats.Tags;
import io.nbnet.formats.parsers.ParsedSamples;
import io.vertx.core.json.DecodeException;
import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;

import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.TreeMap;

/**
 * Open-Falcon's push body: a JSON array of {@code {"endpoint", "metric", "timestamp" (seconds), "step",
 * "value", "counterType", "tags": "k=v,k2=v2"}}. The value is stored as sent (a COUNTER is not turned
 * into a rate).
 */
final class OpenFalconPush {

  private OpenFalconPush() {
  }

  static ParsedSamples parse(String body, long nowMillis) {
    JsonArray items;
    try {
      items = new JsonArray(body);
    } catch (DecodeException | ClassCastException e) {
      return bad(0, "the body is not a JSON array");
    }
    List<Sample> samples = new ArrayList<>();
    for (int i = 0; i < items.size(); i++) {
      Object item = items.getValue(i);
      if (!(item instanceof JsonObject point)) {
        return bad(i, "not an object");
      }
      try {
        String endpoint = point.getString("endpoint");
        String metric = point.getString("metric");
        Object value = point.getValue("value");
        if (endpoint == null || endpoint.isEmpty() || metric == null || metric.isEmpty() || !(value instanceof Number number)) {
          return bad(i, "needs endpoint, metric and a numeric value");
        }
        if (endpoint.length() > SampleLimits.MAX_HOST_CHARS || metric.length() > SampleLimits.MAX_METRIC_CHARS) {
          return bad(i, "endpoint or metric too long");
        }
        long timestamp = point.containsKey("timestamp") ? point.getLong("timestamp") * 1000 : nowMillis;
        if (timestamp < 0 || timestamp > SampleLimits.MAX_TIMESTAMP_MILLIS) {
          return bad(i, "timestamp out of range");
        }
        samples.add(Sample.numeric(endpoint, timestamp, metric, tags(point.getString("tags", "")), number.doubleValue()));
      } catch (ClassCastException | IllegalArgumentException e) {
        return bad(i, e.getMessage());
      }
    }
    return new ParsedSamples(samples, 0, Optional.empty());
  }

  private static String tags(String text) {
    Map<String, String> tags = new TreeMap<>();
    for (String pair : text.split(",")) {
      if (pair.isBlank()) {
        continue;
      }
      int equals = pair.indexOf('=');
      if (equals <= 0) {
        throw new IllegalArgumentException("bad tag \"" + pair + "\": expected k=v");
      }
      tags.put(pair.substring(0, equals).trim(), pair.substring(equals + 1).trim());
    }
    return Tags.of(tags);
  }

  private static ParsedSamples bad(int index, String problem) {
    return new ParsedSamples(List.of(), 1, Optional.of("item " + index + ": " + problem));
  }
}
