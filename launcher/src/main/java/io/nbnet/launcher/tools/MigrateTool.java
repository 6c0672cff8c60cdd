package io.nbnet.launcher.tools;

import io.nbnet.saver.SaverConfig;
import io.nbnet.saver.migration.LegacyMigration;
import io.nbnet.saver.mysql.MySqlPools;
import io.nbnet.saver.schema.SchemaCreator;
import io.nbnet.support.config.ConfigView;
import io.nbnet.support.logging.OneLineLogging;
import io.vertx.core.Vertx;
import io.vertx.core.WorkerExecutor;
import io.vertx.core.json.JsonObject;
import io.vertx.sqlclient.Pool;
import picocli.CommandLine;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.concurrent.Callable;
import java.util.concurrent.TimeUnit;

/**
 * {@code ./nbnet migrate}: moves the samples of a database written by nbnet 1 (one row per sample in
 * {@code samples_0} .. {@code samples_3}) into the tiered tables, with the saver's own compaction.
 */
@Command(name = "nbnet migrate", mixinStandardHelpOptions = true,
  description = "Move the samples of an nbnet 1 database into the tiered tables. Resumable: run it again after a stop.")
public final class MigrateTool implements Callable<Integer> {

  @Option(names = {"-c", "--config"}, defaultValue = "conf/saver.json", description = "the saver's config file: MySQL, table prefix, retention (default: ${DEFAULT-VALUE})")
  Path config;

  @Option(names = "--chunk-hours", defaultValue = "6", description = "hours of samples migrated at once; memory holds one host's (default: ${DEFAULT-VALUE})")
  int chunkHours;

  @Option(names = "--drop-migrated", description = "drop each v1 table once all of it is migrated")
  boolean dropMigrated;

  public static void main(String[] args) {
    OneLineLogging.install();
    System.exit(new CommandLine(new MigrateTool()).execute(args));
  }

  @Override
  public Integer call() throws Exception {
    if (chunkHours < 1 || chunkHours > 24 * 7) {
      throw new CommandLine.ParameterException(new CommandLine(this), "--chunk-hours must be 1..168");
    }
    JsonObject json = new JsonObject(Files.readString(config));
    SaverConfig saver = SaverConfig.from(ConfigView.of(json.getJsonObject("saver", new JsonObject()), "saver"));
    Vertx vertx = Vertx.vertx();
    Pool pool = MySqlPools.pool(vertx, saver.mysql(), true, 4);
    WorkerExecutor cpu = vertx.createSharedWorkerExecutor("nbnet-migration", 1);
    try {
      SchemaCreator schema = new SchemaCreator(vertx, saver.mysql(), saver.layout(), pool);
      schema.createNowOrLater().toCompletionStage().toCompletableFuture().get(120, TimeUnit.SECONDS);
      schema.stop();
      if (!schema.isReady()) {
        System.err.println("cannot create the tables in " + saver.mysql().database() + " at " + saver.mysql().host() + ":" + saver.mysql().port()
          + " (see the log above)");
        return 1;
      }
      System.out.println("migrating database " + saver.mysql().database() + " at " + saver.mysql().host() + ":" + saver.mysql().port()
        + " (" + saver.retention().describe() + ")");
      LegacyMigration.Summary summary = new LegacyMigration(pool, cpu, saver.layout(), saver.retention(), chunkHours * 3_600_000L,
        dropMigrated, System.out::println).run();
      System.out.printf("done: %,d samples from %s in %d chunks (%d older than every tier keeps, skipped)%s%n", summary.samples(),
        summary.tables(), summary.chunks(), summary.skippedChunks(), summary.dropped().isEmpty() ? "" : "; dropped " + summary.dropped());
      return 0;
    } finally {
      cpu.close();
      pool.close();
      vertx.close().toCompletionStage().toCompletableFuture().get(30, TimeUnit.SECONDS);
    }
  }
}
