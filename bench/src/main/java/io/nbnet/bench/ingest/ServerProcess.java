package io.nbnet.bench.ingest;

import io.vertx.core.json.JsonObject;

import java.io.IOException;
import java.net.InetSocketAddress;
import java.net.Socket;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.concurrent.TimeUnit;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/** A saver or trans started from the production jar as its own process, with a GC log to read its heap peak from. */
final class ServerProcess implements AutoCloseable {

  private static final Pattern GC_BEFORE = Pattern.compile("(\\d+)M->\\d+M");

  private final Process process;
  private final Path gcLog;
  private final Path output;

  private ServerProcess(Process process, Path gcLog, Path output) {
    this.process = process;
    this.gcLog = gcLog;
    this.output = output;
  }

  static ServerProcess start(Path jar, JsonObject config, String heap, Path folder, String name, int port) throws Exception {
    Path configFile = folder.resolve(name + ".json");
    Files.writeString(configFile, config.encodePrettily());
    Path gcLog = folder.resolve(name + "-gc.log");
    Path output = folder.resolve(name + ".log");
    Process process = new ProcessBuilder(Path.of(System.getProperty("java.home"), "bin", "java").toString(),
      "-Xmx" + heap, "-Xlog:gc:file=" + gcLog, "-jar", jar.toString(), "-conf", configFile.toString())
      .redirectErrorStream(true).redirectOutput(output.toFile()).start();
    ServerProcess server = new ServerProcess(process, gcLog, output);
    long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(60);
    while (!listening(port)) {
      if (!process.isAlive() || System.nanoTime() > deadline) {
        server.close();
        throw new IllegalStateException(name + " did not start; its log: " + output);
      }
      Thread.sleep(100);
    }
    return server;
  }

  /** The largest heap occupancy a GC found, in MB; -1 when no GC ran. */
  long heapPeakMegabytes() throws IOException {
    long peak = -1;
    for (String line : Files.exists(gcLog) ? Files.readAllLines(gcLog) : List.<String>of()) {
      Matcher matcher = GC_BEFORE.matcher(line);
      while (matcher.find()) {
        peak = Math.max(peak, Long.parseLong(matcher.group(1)));
      }
    }
    return peak;
  }

  @Override
  public void close() throws InterruptedException {
    process.destroy();
    if (!process.waitFor(30, TimeUnit.SECONDS)) {
      process.destroyForcibly();
    }
  }

  private static boolean listening(int port) {
    try (Socket socket = new Socket()) {
      socket.connect(new InetSocketAddress("127.0.0.1", port), 200);
      return true;
    } catch (IOException e) {
      return false;
    }
  }
}
