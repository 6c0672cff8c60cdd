package io.nbnet.formats.parsers;

import io.nbnet.formats.Tags;

/** Graphite's plaintext protocol: {@code name value [epoch-seconds]} lines. */
public final class GraphiteParser extends LineParser {

  @Override
  void parseLine(String line, SampleBuilder out) {
    String[] fields = line.split("\\s+");
    if (fields.length < 2 || fields.length > 3) {
      throw new IllegalArgumentException("expected: name value [timestamp]");
    }
    long timestamp = fields.length == 3 ? SampleBuilder.epochToMillis(SampleBuilder.number(fields[2])) : out.nowMillis();
    out.number(fields[0], Tags.NONE, SampleBuilder.number(fields[1]), timestamp);
  }
}
