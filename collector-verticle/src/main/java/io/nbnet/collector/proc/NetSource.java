package io.nbnet.collector.proc;

import io.nbnet.formats.Tags;

import java.util.Map;

/** {@code net}: per interface, bytes and packets per second, and errors and drops during the interval. */
final class NetSource implements Source {

  private Map<String, NetCounters> previous;
  private long previousNanos;

  @Override
  public String name() {
    return "net";
  }

  @Override
  public void sample(ProcFiles files, SampleSink out) {
    Map<String, NetCounters> now = NetCounters.parse(files.read("net/dev"));
    long nanos = System.nanoTime();
    if (previous != null) {
      double seconds = (nanos - previousNanos) / 1e9;
      now.forEach((iface, c) -> {
        NetCounters b = previous.get(iface);
        if (b == null || seconds <= 0) {
          return;
        }
        String tags = Tags.of("iface", iface);
        out.add("net.rx_bytes_per_s", tags, rate(c.rxBytes() - b.rxBytes(), seconds));
        out.add("net.tx_bytes_per_s", tags, rate(c.txBytes() - b.txBytes(), seconds));
        out.add("net.rx_packets_per_s", tags, rate(c.rxPackets() - b.rxPackets(), seconds));
        out.add("net.tx_packets_per_s", tags, rate(c.txPackets() - b.txPackets(), seconds));
        out.add("net.rx_errors", tags, Math.max(0, c.rxErrors() - b.rxErrors()));
        out.add("net.tx_errors", tags, Math.max(0, c.txErrors() - b.txErrors()));
        out.add("net.rx_dropped", tags, Math.max(0, c.rxDropped() - b.rxDropped()));
        out.add("net.tx_dropped", tags, Math.max(0, c.txDropped() - b.txDropped()));
      });
    }
    previous = now;
    previousNanos = nanos;
  }

  private static double rate(long delta, double seconds) {
    return Math.max(0, delta) / seconds;
  }
}
