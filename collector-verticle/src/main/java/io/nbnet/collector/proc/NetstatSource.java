package io.nbnet.collector.proc;

import io.nbnet.formats.Tags;

import java.util.HashMap;
import java.util.Map;

/**
 * {@code netstat}: TCP and UDP counters from /proc/net/snmp and /proc/net/netstat (pairs of header
 * and value lines): segments retransmitted and connections opened per second, and during the interval
 * resets sent, listen queue overflows and drops, UDP receive errors, buffer errors and datagrams to
 * closed ports.
 */
final class NetstatSource implements Source {

  private final Counters counters = new Counters();

  @Override
  public String name() {
    return "netstat";
  }

  @Override
  public void sample(ProcFiles files, SampleSink out) {
    Map<String, Long> snmp = table(files.read("net/snmp"));
    Map<String, Long> ext = files.exists("net/netstat") ? table(files.read("net/netstat")) : Map.of();
    counters.reading();
    rate(out, snmp, "Tcp.RetransSegs", "tcp.retransmits_per_s");
    rate(out, snmp, "Tcp.ActiveOpens", "tcp.active_opens_per_s");
    rate(out, snmp, "Tcp.PassiveOpens", "tcp.passive_opens_per_s");
    delta(out, snmp, "Tcp.OutRsts", "tcp.resets_sent");
    delta(out, snmp, "Tcp.AttemptFails", "tcp.attempt_fails");
    delta(out, ext, "TcpExt.ListenOverflows", "tcp.listen_overflows");
    delta(out, ext, "TcpExt.ListenDrops", "tcp.listen_drops");
    delta(out, snmp, "Udp.InErrors", "udp.receive_errors");
    delta(out, snmp, "Udp.RcvbufErrors", "udp.receive_buffer_errors");
    delta(out, snmp, "Udp.NoPorts", "udp.no_ports");
  }

  private void rate(SampleSink out, Map<String, Long> table, String key, String metric) {
    Long value = table.get(key);
    if (value != null) {
      out.add(metric, Tags.NONE, counters.perSecond(key, value));
    }
  }

  private void delta(SampleSink out, Map<String, Long> table, String key, String metric) {
    Long value = table.get(key);
    if (value != null) {
      out.add(metric, Tags.NONE, counters.delta(key, value));
    }
  }

  /** {@code Tcp: RtoAlgorithm ...} followed by {@code Tcp: 1 ...}: "Tcp.RtoAlgorithm" -> 1. */
  static Map<String, Long> table(String text) {
    Map<String, Long> values = new HashMap<>();
    String[] lines = text.split("\n");
    for (int i = 0; i + 1 < lines.length; i += 2) {
      String[] names = lines[i].trim().split("\\s+");
      String[] numbers = lines[i + 1].trim().split("\\s+");
      if (names.length != numbers.length || !names[0].equals(numbers[0])) {
        throw new IllegalArgumentException("unexpected lines in a netstat table: " + names[0] + " / " + numbers[0]);
      }
      String prefix = names[0].replace(":", "");
      for (int k = 1; k < names.length; k++) {
        try {
          values.put(prefix + "." + names[k], Long.parseLong(numbers[k]));
        } catch (NumberFormatException e) {
          // a negative or non-numeric column (Tcp MaxConn is -1) is not a counter we read
        }
      }
    }
    return values;
  }
}
