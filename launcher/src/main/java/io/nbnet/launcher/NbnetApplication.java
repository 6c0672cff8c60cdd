package io.nbnet.launcher;

import io.nbnet.support.config.ConfigException;
import io.nbnet.support.logging.OneLineLogging;
import io.nbnet.wire.Transports;
import io.vertx.core.Deployable;
import io.vertx.core.json.DecodeException;
import io.vertx.core.json.JsonObject;
import io.vertx.launcher.application.HookContext;
import io.vertx.launcher.application.VertxApplication;
import io.vertx.launcher.application.VertxApplicationHooks;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.InvalidPathException;
import java.nio.file.Path;
import java.util.function.Supplier;
import java.util.logging.Level;
import java.util.logging.Logger;

/**
 * The entry point of the nbnet jar: the Vert.x launcher ({@code -conf}, {@code -cluster}, ...) with one
 * change: a missing, malformed or invalid configuration stops the process with a message naming the
 * problem, where the plain launcher would warn and run with {@code {}}.
 */
public class NbnetApplication extends VertxApplication implements VertxApplicationHooks {

  static {
    OneLineLogging.install();
  }

  private static final Logger log = Logger.getLogger(NbnetApplication.class.getName());
  /** Hazelcast narrates every join and migration at INFO; its warnings are what an operator needs. Held so the level sticks. */
  private static final Logger HAZELCAST_LOG = Logger.getLogger("com.hazelcast");
  /**
   * Hazelcast warns at every start that its CP subsystem (strongly consistent locks and counters, which
   * needs three members) is off; the cluster carries only the event bus's subscriptions.
   */
  private static final Logger HAZELCAST_CP_LOG = Logger.getLogger("com.hazelcast.cp.CPSubsystem");

  private final String[] args;
  /** The configuration, parsed once (the launcher hands it over before Vert.x starts). */
  private NbnetConfig parsed;

  public NbnetApplication(String[] args) {
    super(args);
    this.args = args.clone();
  }

  public static void main(String[] args) {
    if (System.getProperty("java.util.logging.config.file") == null) {
      HAZELCAST_LOG.setLevel(Level.WARNING);
      HAZELCAST_CP_LOG.setLevel(Level.SEVERE);
    }
    new NbnetApplication(args).launch();
  }

  @Override
  public JsonObject afterVertxOptionsParsed(JsonObject options) {
    JsonObject withDefaults = options == null ? new JsonObject() : options;
    if (!withDefaults.containsKey("preferNativeTransport")) {
      withDefaults.put("preferNativeTransport", true);
    }
    if (!withDefaults.containsKey("metricsOptions")) {
      // Vert.x's own meters, the JVM's and nbnet's, for the monitor section's /metrics
      withDefaults.put("metricsOptions", new JsonObject().put("enabled", true).put("jvmMetricsEnabled", true)
        .put("prometheusOptions", new JsonObject().put("enabled", true)));
    }
    return withDefaults;
  }

  /** {@code cluster.tls}: the event bus between cluster members over mutual TLS (it must be set before Vert.x starts). */
  @Override
  public void beforeStartingVertx(HookContext context) {
    parsed.clusterTls().ifPresent(tls -> {
      tls.applyTo(context.vertxOptions().getEventBusOptions());
      log.info("the event bus between cluster members speaks " + tls.describe());
    });
  }

  @Override
  public void afterVertxStarted(HookContext context) {
    log.info("Vert.x runs on the " + Transports.describe(context.vertx()));
  }

  @Override
  public JsonObject afterConfigParsed(JsonObject config) {
    if (config == null) {
      throw stop(describeUnreadableConfig());
    }
    try {
      parsed = NbnetConfig.parse(config);
    } catch (ConfigException e) {
      throw stop("invalid configuration: " + e.getMessage());
    }
    return config;
  }

  @Override
  public Supplier<? extends Deployable> verticleSupplier() {
    Path file = configFile();
    return () -> file == null ? new NbnetVerticle(parsed) : new NbnetVerticle(parsed, file);
  }

  /** The -conf value when it names a file (it may also be inline JSON, which cannot change). */
  private Path configFile() {
    String value = confArgument();
    try {
      return value != null && Files.isRegularFile(Path.of(value)) ? Path.of(value) : null;
    } catch (InvalidPathException e) {
      return null;
    }
  }

  private static IllegalStateException stop(String message) {
    System.err.println("nbnet: " + message);
    return new IllegalStateException(message);
  }

  /** The launcher only says the -conf value was unusable; this says why. */
  private String describeUnreadableConfig() {
    String value = confArgument();
    if (value == null) {
      return "no configuration given: run with -conf FILE (for example -conf conf/all-in-one.json)";
    }
    Path file;
    try {
      file = Path.of(value);
    } catch (InvalidPathException e) {
      return "-conf " + value + ": neither a file nor a JSON object";
    }
    if (!Files.exists(file)) {
      return "-conf " + value + ": no such file (and not a JSON object either)";
    }
    try {
      new JsonObject(Files.readString(file));
      return "-conf " + value + ": cannot be used as configuration";
    } catch (IOException e) {
      return "-conf " + value + ": cannot read the file: " + e.getMessage();
    } catch (DecodeException | ClassCastException e) {
      return "-conf " + value + ": not a valid JSON object: " + e.getMessage();
    }
  }

  private String confArgument() {
    for (int i = 0; i < args.length; i++) {
      String arg = args[i].toLowerCase();
      if ((arg.equals("-conf") || arg.equals("--conf")) && i + 1 < args.length) {
        return args[i + 1];
      }
      if (arg.startsWith("-conf=") || arg.startsWith("--conf=")) {
        return args[i].substring(args[i].indexOf('=') + 1);
      }
    }
    return null;
  }
}
