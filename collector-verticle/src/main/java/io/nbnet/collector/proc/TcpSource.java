package io.nbnet.collector.proc;

import io.nbnet.formats.Tags;

/** {@code tcp}: connections by state, IPv4 and IPv6 together ({@code tcp.established} ...). */
final class TcpSource implements Source {

  @Override
  public String name() {
    return "tcp";
  }

  @Override
  public void sample(ProcFiles files, SampleSink out) {
    String tcp6 = files.exists("net/tcp6") ? files.read("net/tcp6") : "";
    TcpStates.count(files.read("net/tcp"), tcp6).forEach((state, count) -> out.add("tcp." + state, Tags.NONE, count));
  }
}
