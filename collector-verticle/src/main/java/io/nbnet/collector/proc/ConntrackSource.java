package io.nbnet.collector.proc;

import io.nbnet.formats.Tags;

import java.util.Optional;

/** {@code conntrack}: connection tracking entries and the table's limit, where netfilter's conntrack is loaded. */
final class ConntrackSource implements Source {

  @Override
  public String name() {
    return "conntrack";
  }

  @Override
  public Optional<String> notApplicable(ProcFiles files) {
    return files.exists("sys/net/netfilter/nf_conntrack_count") ? Optional.empty()
      : Optional.of("/proc/sys/net/netfilter/nf_conntrack_count is absent (nf_conntrack not loaded)");
  }

  @Override
  public void sample(ProcFiles files, SampleSink out) {
    out.add("conntrack.entries", Tags.NONE, Long.parseLong(files.read("sys/net/netfilter/nf_conntrack_count").trim()));
    out.add("conntrack.max", Tags.NONE, Long.parseLong(files.read("sys/net/netfilter/nf_conntrack_max").trim()));
  }
}
