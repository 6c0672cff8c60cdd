package io.nbnet.launcher.tools;

import io.nbnet.launcher.NbnetConfig;
import io.nbnet.saver.SaverConfig;
import io.nbnet.store.Store;
import io.nbnet.store.migration.LegacyMigration;
import io.nbnet.support.config.Section;
import io.nbnet.support.logging.OneLineLogging;
import io.vertx.core.Vertx;
import io.vertx.core.json.JsonObject;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;
import picocli.CommandLine;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Optional;
import java.util.concurrent.Callable;
import java.util.concurrent.ExecutionException;
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
    Optional<Section<SaverConfig>> section = NbnetConfig.parse(new JsonObject(Files.readString(config))).saver();
    if (section.isEmpty()) {
      System.err.println(config + " runs no saver: give the saver's config file");
      return 1;
    }
    SaverConfig saver = section.get().config();
    Vertx vertx = Vertx.vertx();
    try {
      try {
        Store.createSchema(vertx, saver.mysql(), saver.store()).toCompletionStage().toCompletableFuture().get(120, TimeUnit.SECONDS);
      } catch (ExecutionException cannotCreate) {
        System.err.println("cannot create the tables in " + saver.mysql().database() + " at " + saver.mysql().host() + ":" + saver.mysql().port()
          + ": " + cannotCreate.getCause().getMessage());
        return 1;
      }
      System.out.println("migrating database " + saver.mysql().database() + " at " + saver.mysql().host() + ":" + saver.mysql().port()
        + " (" + saver.store().retention().describe() + ")");
      LegacyMigration.Summary summary = LegacyMigration.run(vertx, saver.mysql(), saver.store(), chunkHours * 3_600_000L, dropMigrated,
        System.out::println);
      System.out.printf("done: %,d samples from %s in %d chunks (%d older than every tier keeps, skipped)%s%n", summary.samples(),
        summary.tables(), summary.chunks(), summary.skippedChunks(), summary.dropped().isEmpty() ? "" : "; dropped " + summary.dropped());
      return 0;
    } finally {
      vertx.close().toCompletionStage().toCompletableFuture().get(30, TimeUnit.SECONDS);
    }
  }
}
