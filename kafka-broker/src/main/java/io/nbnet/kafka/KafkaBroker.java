package io.nbnet.kafka;

import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.ServerSocket;
import java.net.Socket;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.UUID;
import java.util.concurrent.TimeUnit;

/**
 * A single-node Apache Kafka 4 broker (KRaft, broker and controller in one process) as a child
 * process on loopback, for tests and benchmarks. Its ports are chosen free and checked: the broker
 * must come up on them, else new ones are tried. They stay the same across {@link #stop}/{@link #start}
 * and {@link #kill}/{@link #start}, so clients keep their bootstrap address over a restart.
 */
public final class KafkaBroker implements AutoCloseable {

  private static final Duration START_TIMEOUT = Duration.ofSeconds(90);
  private static final String STARTED = "Kafka Server started";

  /**
   * TLS on the broker's client port, client certificates required.
   *
   * @param keyAndChain one PEM file holding the broker's PKCS#8 key and certificate chain (the certificate
   *                    names 127.0.0.1 and may also be a client one: the broker reaches itself over this port)
   * @param ca          the CA client certificates must come from
   */
  public record Tls(Path keyAndChain, Path ca) {
  }

  private final Path folder;
  private final String classpath;
  private Tls tls;
  private int brokerPort;
  private int controllerPort;
  private Process process;

  private KafkaBroker(Path folder) {
    this.folder = folder;
    this.classpath = brokerClasspath();
  }

  /** Formats a log folder under {@code folder} and starts the broker; topics made on first use get {@code defaultPartitions}. */
  public static KafkaBroker start(Path folder, int defaultPartitions) {
    return start(folder, defaultPartitions, null);
  }

  /** Like {@link #start(Path, int)}, with TLS on the client port when {@code tls} is not null. */
  public static KafkaBroker start(Path folder, int defaultPartitions, Tls tls) {
    KafkaBroker broker = new KafkaBroker(folder);
    broker.tls = tls;
    IllegalStateException last = null;
    for (int attempt = 0; attempt < 3; attempt++) {
      broker.brokerPort = freePort();
      broker.controllerPort = freePort();
      try {
        broker.writeProperties(defaultPartitions);
        broker.run(List.of("kafka.tools.StorageTool", "format", "-t", randomClusterId(), "-c", broker.properties().toString(),
          "--standalone", "--ignore-formatted"), Duration.ofSeconds(60));
        broker.start();
        return broker;
      } catch (IllegalStateException e) {
        last = e;
        broker.close();
        deleteTree(folder.resolve("data"));
      }
    }
    throw last;
  }

  /** Starts the broker (again) on its ports and log folder; returns once it serves clients. */
  public void start() {
    try {
      Path log = folder.resolve("broker.log");
      process = command(List.of("-Xmx512m", "kafka.Kafka", properties().toString()))
        .redirectErrorStream(true).redirectOutput(ProcessBuilder.Redirect.appendTo(log.toFile())).start();
      long deadline = System.nanoTime() + START_TIMEOUT.toNanos();
      while (System.nanoTime() < deadline) {
        if (!process.isAlive()) {
          throw new IllegalStateException("the Kafka broker exited with " + process.exitValue() + "; see " + log);
        }
        if (Files.readString(log).contains(STARTED) && answers(brokerPort)) {
          return;
        }
        process.waitFor(200, TimeUnit.MILLISECONDS);
      }
      process.destroyForcibly();
      throw new IllegalStateException("the Kafka broker did not start within " + START_TIMEOUT + "; see " + log);
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      throw new IllegalStateException(e);
    }
  }

  /** "127.0.0.1:PORT", for bootstrap.servers. */
  public String bootstrap() {
    return "127.0.0.1:" + brokerPort;
  }

  /** The broker process's id (for its CPU use). */
  public long pid() {
    return process.pid();
  }

  /** Where the broker keeps its log segments. */
  public Path dataFolder() {
    return folder.resolve("data");
  }

  /** SIGTERM and wait: the broker shuts down cleanly. */
  public void stop() {
    end(false);
  }

  /** SIGKILL: the broker dies as on a power loss. */
  public void kill() {
    end(true);
  }

  @Override
  public void close() {
    if (process != null) {
      end(true);
    }
  }

  private void end(boolean force) {
    if (process == null) {
      return;
    }
    if (force) {
      process.destroyForcibly();
    } else {
      process.destroy();
    }
    try {
      if (!process.waitFor(60, TimeUnit.SECONDS)) {
        process.destroyForcibly().waitFor(10, TimeUnit.SECONDS);
      }
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
    }
    process = null;
  }

  private Path properties() {
    return folder.resolve("server.properties");
  }

  private void writeProperties(int defaultPartitions) {
    String client = tls == null ? "PLAINTEXT" : "SSL";
    String text = String.join("\n",
      "process.roles=broker,controller",
      "node.id=1",
      "controller.quorum.bootstrap.servers=127.0.0.1:" + controllerPort,
      "listeners=" + client + "://127.0.0.1:" + brokerPort + ",CONTROLLER://127.0.0.1:" + controllerPort,
      "advertised.listeners=" + client + "://127.0.0.1:" + brokerPort,
      "controller.listener.names=CONTROLLER",
      "inter.broker.listener.name=" + client,
      "listener.security.protocol.map=" + client + ":" + client + ",CONTROLLER:PLAINTEXT",
      tls == null ? "" : "ssl.keystore.type=PEM",
      tls == null ? "" : "ssl.keystore.location=" + tls.keyAndChain().toAbsolutePath(),
      tls == null ? "" : "ssl.truststore.type=PEM",
      tls == null ? "" : "ssl.truststore.location=" + tls.ca().toAbsolutePath(),
      tls == null ? "" : "ssl.client.auth=required",
      "log.dirs=" + folder.resolve("data").toAbsolutePath(),
      "num.partitions=" + defaultPartitions,
      "offsets.topic.replication.factor=1",
      "offsets.topic.num.partitions=1",
      "transaction.state.log.replication.factor=1",
      "transaction.state.log.min.isr=1",
      "share.coordinator.state.topic.replication.factor=1",
      "share.coordinator.state.topic.min.isr=1",
      "group.initial.rebalance.delay.ms=0",
      "auto.create.topics.enable=true",
      "");
    try {
      Files.createDirectories(folder);
      Files.writeString(properties(), text);
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }

  private void run(List<String> arguments, Duration timeout) {
    try {
      Process tool = command(arguments).redirectErrorStream(true).start();
      byte[] output;
      try (InputStream in = tool.getInputStream()) {
        output = in.readAllBytes();
      }
      if (!tool.waitFor(timeout.toMillis(), TimeUnit.MILLISECONDS) || tool.exitValue() != 0) {
        tool.destroyForcibly();
        throw new IllegalStateException(arguments.get(0) + " failed: " + new String(output, StandardCharsets.UTF_8));
      }
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      throw new IllegalStateException(e);
    }
  }

  private ProcessBuilder command(List<String> arguments) {
    String java = Path.of(System.getProperty("java.home"), "bin", "java").toString();
    List<String> command = new java.util.ArrayList<>(List.of(java, "-cp", classpath));
    command.addAll(arguments);
    return new ProcessBuilder(command).directory(folder.toFile());
  }

  private static String brokerClasspath() {
    try (InputStream in = KafkaBroker.class.getResourceAsStream("kafka-broker.classpath")) {
      if (in == null) {
        throw new IllegalStateException("kafka-broker.classpath is missing: build the kafka-broker module");
      }
      return new String(in.readAllBytes(), StandardCharsets.UTF_8).trim();
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }

  private static String randomClusterId() {
    UUID uuid = UUID.randomUUID();
    java.nio.ByteBuffer bytes = java.nio.ByteBuffer.allocate(16).putLong(uuid.getMostSignificantBits()).putLong(uuid.getLeastSignificantBits());
    return java.util.Base64.getUrlEncoder().withoutPadding().encodeToString(bytes.array());
  }

  private static int freePort() {
    try (ServerSocket socket = new ServerSocket(0, 1, InetAddress.getLoopbackAddress())) {
      return socket.getLocalPort();
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }

  private static boolean answers(int port) {
    try (Socket socket = new Socket()) {
      socket.connect(new InetSocketAddress(InetAddress.getLoopbackAddress(), port), 500);
      return true;
    } catch (IOException e) {
      return false;
    }
  }

  private static void deleteTree(Path path) {
    if (!Files.exists(path)) {
      return;
    }
    try (var paths = Files.walk(path)) {
      paths.sorted(java.util.Comparator.reverseOrder()).forEach(p -> p.toFile().delete());
    } catch (IOException e) {
      // a leftover folder is retried with a new cluster id
    }
  }
}
