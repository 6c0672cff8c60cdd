package io.nbnet.launcher.testing;

import io.nbnet.support.testing.LogCapture;
import org.awaitility.Awaitility;

import java.util.concurrent.TimeUnit;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * The ports servers bound to port 0 report in this JVM's log ({@code "saver listening on HOST:PORT"},
 * {@code "metrics on http://HOST:PORT/metrics"}): tests bind port 0 and read the port, never guess a
 * free one.
 */
public final class LoggedPorts implements AutoCloseable {

  private final LogCapture log = LogCapture.of("");

  public static LoggedPorts capture() {
    return new LoggedPorts();
  }

  /** The port the server named {@code server} (saver, trans, ...) reported; waits for it. */
  public int server(String server) {
    return await(Pattern.compile(Pattern.quote(server) + " listening on [^:\\s]+:(\\d+)"));
  }

  /** The port of a monitor serving HTTPS; waits for it. */
  public int httpsMonitor() {
    return await(Pattern.compile("metrics on https://[^:\\s]+:(\\d+)/metrics"));
  }

  /** The monitor's port; waits for it. */
  public int monitor() {
    return await(Pattern.compile("metrics on http://[^:\\s]+:(\\d+)/metrics"));
  }

  private int await(Pattern pattern) {
    return Awaitility.await("a log line matching " + pattern).atMost(60, TimeUnit.SECONDS).until(() -> {
      for (String line : log.lines()) {
        Matcher matcher = pattern.matcher(line == null ? "" : line);
        if (matcher.find()) {
          return Integer.parseInt(matcher.group(1));
        }
      }
      return -1;
    }, port -> port > 0);
  }

  /** Forgets what was logged so far: the next server reported is a new one. */
  public void clear() {
    log.lines().clear();
  }

  @Override
  public void close() {
    log.close();
  }
}
