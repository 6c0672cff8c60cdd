package io.nbnet.collector.proc;

import io.nbnet.formats.Tags;

/**
 * {@code sockets}: file handles in use and the limit (/proc/sys/fs/file-nr), and sockets by protocol
 * from /proc/net/sockstat and sockstat6: in use, orphaned and TIME_WAIT TCP sockets, UDP sockets.
 */
final class SocketsSource implements Source {

  @Override
  public String name() {
    return "sockets";
  }

  @Override
  public void sample(ProcFiles files, SampleSink out) {
    String[] fileNr = files.read("sys/fs/file-nr").trim().split("\\s+");
    out.add("fd.allocated", Tags.NONE, Long.parseLong(fileNr[0]) - Long.parseLong(fileNr[1]));
    out.add("fd.max", Tags.NONE, Long.parseLong(fileNr[2]));
    sockstat(files.read("net/sockstat"), "", out);
    if (files.exists("net/sockstat6")) {
      sockstat(files.read("net/sockstat6"), "6", out);
    }
  }

  /** Lines like {@code TCP: inuse 5 orphan 0 tw 2 alloc 8 mem 1}. */
  private static void sockstat(String text, String family, SampleSink out) {
    for (String line : text.split("\n")) {
      String[] f = line.trim().split("\\s+");
      if (f.length < 3) {
        continue;
      }
      String protocol = f[0].replace(":", "").toLowerCase(java.util.Locale.ROOT);
      if (protocol.equals("sockets")) {
        out.add("sock.used", Tags.NONE, Long.parseLong(f[2]));
        continue;
      }
      if (!protocol.startsWith("tcp") && !protocol.startsWith("udp") || protocol.contains("lite")) {
        continue;
      }
      String base = protocol.replaceAll("\\d", "");
      for (int i = 1; i + 1 < f.length; i += 2) {
        if (f[i].equals("inuse") || base.equals("tcp") && (f[i].equals("orphan") || f[i].equals("tw"))) {
          out.add("sock." + base + family + "_" + f[i], Tags.NONE, Long.parseLong(f[i + 1]));
        }
      }
    }
  }
}
