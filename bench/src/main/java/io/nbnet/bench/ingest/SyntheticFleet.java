package io.nbnet.bench.ingest;

import io.vertx.core.buffer.Buffer;
import io.vertx.sqlclient.Tuple;

import java.nio.charset.StandardCharsets;

/**
 * The simulated fleet: {@code hosts} hosts with {@code metrics} metrics each, spread over eight
 * families. Round {@code r} of host {@code h} is one native frame of all its metrics at time
 * {@code base + r} seconds. The ceiling loop inserts exactly the same rows.
 */
final class SyntheticFleet {

  static final int FAMILIES = 8;

  private final int hosts;
  private final int metrics;
  private final long baseMillis;
  private final String[] hostNames;
  private final String[] metricNames;
  private final byte[][] hostPrefixes;
  private final byte[][] metricFields;

  SyntheticFleet(int hosts, int metrics, long baseMillis) {
    this.hosts = hosts;
    this.metrics = metrics;
    this.baseMillis = baseMillis;
    hostNames = new String[hosts];
    hostPrefixes = new byte[hosts][];
    for (int h = 0; h < hosts; h++) {
      hostNames[h] = String.format("bench-host-%05d", h);
      hostPrefixes[h] = (hostNames[h] + "\t").getBytes(StandardCharsets.UTF_8);
    }
    metricNames = new String[metrics];
    metricFields = new byte[metrics][];
    for (int m = 0; m < metrics; m++) {
      metricNames[m] = "f" + m % FAMILIES + ".metric_" + m;
      metricFields[m] = ("\t" + metricNames[m] + "\t\t").getBytes(StandardCharsets.UTF_8);
    }
  }

  int hosts() {
    return hosts;
  }

  int metrics() {
    return metrics;
  }

  long timestamp(long round) {
    return baseMillis + round * 1000;
  }

  static long value(long round, int host, int metric) {
    return (round * 31 + host * 7 + metric) % 100_000;
  }

  /** One native frame: host {@code host}'s metrics in round {@code round}. */
  Buffer frame(int host, long round, String source, long sequence) {
    byte[] ts = Long.toString(timestamp(round)).getBytes(StandardCharsets.US_ASCII);
    Buffer frame = Buffer.buffer(64 + metrics * (hostPrefixes[host].length + 40));
    frame.appendString("NB1\t" + source + "\t" + sequence + "\n");
    for (int m = 0; m < metrics; m++) {
      frame.appendBytes(hostPrefixes[host]).appendBytes(ts).appendBytes(metricFields[m])
        .appendString(Long.toString(value(round, host, m))).appendByte((byte) '\n');
    }
    return frame;
  }

  /** The host of row {@code index} of the row sequence. */
  String host(long index) {
    return hostNames[(int) ((index / metrics) % hosts)];
  }

  /** The metric family of row {@code index}. */
  String family(long index) {
    return "f" + (index % metrics) % FAMILIES;
  }

  /** Appends row {@code index} of the same sequence of rows the frames carry, in column order of the sample tables. */
  void addRow(Tuple tuple, long index) {
    int metric = (int) (index % metrics);
    long frame = index / metrics;
    int host = (int) (frame % hosts);
    long round = frame / hosts;
    tuple.addString(hostNames[host]).addString(metricNames[metric]).addString("")
      .addLong(timestamp(round)).addDouble((double) value(round, host, metric)).addString(null);
  }
}
