package io.nbnet.bench.server;

import io.nbnet.support.logging.OneLineLogging;
import io.nbnet.wire.FrameServerConfig;
import io.nbnet.wire.Transports;
import io.nbnet.wire.tls.ServerTls;
import io.vertx.core.DeploymentOptions;
import io.vertx.core.Vertx;
import io.vertx.core.VertxOptions;
import io.vertx.core.http.ClientAuth;
import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;
import picocli.CommandLine;

import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.Set;
import java.util.concurrent.Callable;
import java.util.concurrent.TimeUnit;

/** {@code ./nbnet bench-server}: the frame server answering {@code a} (or echoing), one instance per event loop. */
@Command(name = "bench-server", mixinStandardHelpOptions = true,
  description = "The QPS test server: answers 'a' to every frame (or echoes it), on the frame server trans and saver use.")
public final class BenchServerCommand implements Callable<Integer> {

  @Option(names = "--host", defaultValue = "127.0.0.1", description = "address to bind (default: ${DEFAULT-VALUE})")
  String host;

  @Option(names = "--port", defaultValue = "9099", description = "port (default: ${DEFAULT-VALUE}, the old server's)")
  int port;

  @Option(names = "--mode", defaultValue = "a", description = "a: reply 'a'; echo: reply the payload; ok: reply 'OK', a saver stand-in (default: ${DEFAULT-VALUE})")
  String mode;

  @Option(names = "--instances", description = "server instances, one per event loop (default: the number of usable cores)")
  Integer instances;

  @Option(names = "--max-frame-bytes", defaultValue = "4194304", description = "largest accepted frame (default: ${DEFAULT-VALUE})")
  int maxFrameBytes;

  @Option(names = "--exec-allow", description = "enable remote exec for exactly this argv, e.g. 'uptime' (repeatable)")
  List<String> execAllow = new ArrayList<>();

  @Option(names = "--exec-token", description = "remote exec requests must carry this token")
  String execToken;

  @Option(names = "--exec-extra-args", description = "let requests add arguments after an allowed argv (a risk: the program gets"
    + " whatever arguments the client sends)")
  boolean execExtraArgs;

  @Option(names = "--exec-allow-without-token", description = "run remote exec without a token (anyone reaching the port may run"
    + " the allowed commands)")
  boolean execWithoutToken;

  @Option(names = "--exec-max-concurrent", defaultValue = "4", description = "commands running at once (default: ${DEFAULT-VALUE})")
  int execMaxConcurrent;

  @Option(names = "--exec-max-queued", defaultValue = "16", description = "commands waiting at most (default: ${DEFAULT-VALUE})")
  int execMaxQueued;

  @Option(names = "--tls-cert", description = "speak TLS with this PEM certificate (with --tls-key)")
  Path tlsCertificate;

  @Option(names = "--tls-key", description = "the PEM key of --tls-cert")
  Path tlsKey;

  public static void main(String[] args) {
    OneLineLogging.install();
    int exit = new CommandLine(new BenchServerCommand()).setCaseInsensitiveEnumValuesAllowed(true).execute(args);
    if (exit != 0) {
      System.exit(exit);
    }
  }

  @Override
  public Integer call() throws Exception {
    BenchServerVerticle.Mode serverMode = switch (mode.toLowerCase()) {
      case "a" -> BenchServerVerticle.Mode.A;
      case "echo" -> BenchServerVerticle.Mode.ECHO;
      case "ok" -> BenchServerVerticle.Mode.OK;
      default -> throw new CommandLine.ParameterException(new CommandLine(this), "--mode must be a, echo or ok, not '" + mode + "'");
    };
    int count = instances != null ? instances : Runtime.getRuntime().availableProcessors();
    Vertx vertx = Vertx.vertx(Transports.preferNative(new VertxOptions().setEventLoopPoolSize(Math.max(count, 1))));
    if ((tlsCertificate == null) != (tlsKey == null)) {
      throw new CommandLine.ParameterException(new CommandLine(this), "--tls-cert and --tls-key go together");
    }
    FrameServerConfig options = FrameServerConfig.defaults(host, port).withMaxFrameBytes(maxFrameBytes).withMaxPendingPerConnection(1024)
      .withTls(Optional.ofNullable(tlsCertificate).map(certificate -> new ServerTls(certificate, tlsKey, Optional.empty(), ClientAuth.NONE,
        List.of(), 10_000, false, Set.of(), 86_400_000)));
    JsonObject exec = new JsonObject();
    if (!execAllow.isEmpty()) {
      JsonArray allow = new JsonArray();
      execAllow.forEach(argv -> allow.add(new JsonObject().put("argv", new JsonArray(List.of(argv.trim().split("\\s+"))))
        .put("extraArgs", execExtraArgs)));
      exec.put("enabled", true).put("allow", allow).put("token", execToken).put("allowWithoutToken", execWithoutToken)
        .put("maxConcurrent", execMaxConcurrent).put("maxQueued", execMaxQueued);
    }
    vertx.deployVerticle(() -> new BenchServerVerticle(options, serverMode, exec), new DeploymentOptions().setInstances(count))
      .toCompletionStage().toCompletableFuture().get(30, TimeUnit.SECONDS);
    System.out.printf("bench-server: listening on %s:%d%s, mode %s, %d instance(s), %s%s%n", host, port,
      options.tls().map(tls -> " with " + tls.describe()).orElse(""), mode, count,
      Transports.describe(vertx), execAllow.isEmpty() ? "" : ", remote exec allowed for " + execAllow);
    Runtime.getRuntime().addShutdownHook(new Thread(() -> vertx.close().toCompletionStage().toCompletableFuture().join()));
    return 0;
  }
}
