package io.nbnet.collector.proc;

/** /proc/loadavg: the three load averages and the number of threads. */
public record LoadAvg(double load1, double load5, double load15, long threads) {

  public static LoadAvg parse(String loadavg) {
    String[] fields = loadavg.trim().split("\\s+");
    String[] runnable = fields[3].split("/");
    return new LoadAvg(Double.parseDouble(fields[0]), Double.parseDouble(fields[1]), Double.parseDouble(fields[2]),
      Long.parseLong(runnable[1]));
  }
}
