package io.nbnet.trans;

import io.nbnet.support.config.ConfigView;
import io.nbnet.support.config.Endpoint;
import io.nbnet.exec.remote.RemoteExec;
import io.nbnet.wire.FrameServerOptions;
import io.nbnet.buffer.SpoolOptions;

import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;

/**
 * The {@code trans} section of the configuration.
 *
 * @param savers            savers in order of preference; the next one takes over while one is down
 * @param downMillis        how long a saver that failed is skipped before it is tried again
 * @param exec              the remote exec section (off unless enabled)
 * @param spool             where frames wait while no saver can take them; null to answer ERR unavailable instead
 */
public record TransConfig(FrameServerOptions server, List<Endpoint> savers, int connectionsPerSaver,
                          long replyTimeoutMillis, long downMillis, ConfigView exec, SpoolOptions spool) {

  public static final int DEFAULT_PORT = 50000;

  public static TransConfig from(ConfigView config) {
    List<String> keys = new ArrayList<>(Arrays.asList(FrameServerOptions.KEYS));
    keys.addAll(List.of("savers", "connectionsPerSaver", "replyTimeoutMs", "saverDownMs", "exec", "spool"));
    config.allowOnly(keys.toArray(String[]::new));
    List<Endpoint> savers = new ArrayList<>();
    for (String address : config.strings("savers", List.of("127.0.0.1:50001"))) {
      savers.add(Endpoint.parse(address, config.path() + ".savers"));
    }
    if (savers.isEmpty()) {
      throw config.error("savers", "needs at least one saver address");
    }
    return new TransConfig(
      FrameServerOptions.from(config, "0.0.0.0", DEFAULT_PORT),
      List.copyOf(savers),
      config.integer("connectionsPerSaver", 2, 1, 1024),
      config.longValue("replyTimeoutMs", 30_000, 10, 3_600_000),
      config.longValue("saverDownMs", 2_000, 0, 3_600_000),
      validExec(config.section("exec")),
      SpoolOptions.from(config.section("spool")));
  }

  private static ConfigView validExec(ConfigView exec) {
    RemoteExec.validate(exec);
    return exec;
  }
}
