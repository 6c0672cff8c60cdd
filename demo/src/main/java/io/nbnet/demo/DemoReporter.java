package io.nbnet.demo;

import io.nbnet.collector.CollectorVerticle;
import io.nbnet.saver.HttpConfig;
import io.nbnet.saver.SaverConfig;
import io.nbnet.store.tables.StorageLayout;
import io.vertx.core.Future;
import io.vertx.core.VerticleBase;
import io.vertx.core.json.JsonObject;
import io.vertx.mysqlclient.MySQLBuilder;
import io.vertx.sqlclient.Pool;
import io.vertx.sqlclient.Row;

import java.util.ArrayList;
import java.util.List;
import java.util.stream.Collectors;

/**
 * Prints, every few seconds, the samples collected and the rows stored: samples waiting for
 * compaction, raw blocks and both rollup tiers, and the legacy tables.
 */
final class DemoReporter extends VerticleBase {

  private static final long REPORT_MILLIS = 5_000;

  private final SaverConfig saver;
  private final long startNanos = System.nanoTime();
  private Pool pool;
  private List<String> tables;
  private long samplesCollected;
  private long samplings;
  private long acknowledged;
  private boolean queryShown;

  DemoReporter(SaverConfig saver) {
    this.saver = saver;
  }

  @Override
  public Future<?> start() {
    StorageLayout layout = saver.store().layout();
    tables = new ArrayList<>(List.of(layout.recent(), layout.raw(), layout.rollup5m(), layout.rollup1h()));
    for (int i = 0; i < StorageLayout.LEGACY_TABLES; i++) {
      tables.add(StorageLayout.legacyTable(i));
    }
    pool = MySQLBuilder.pool().connectingTo(saver.mysql().connectOptions(true)).using(vertx).build();
    vertx.eventBus().<JsonObject>consumer(CollectorVerticle.SAMPLED_ADDRESS, message -> {
      samplesCollected += message.body().getInteger("samples");
      acknowledged = message.body().getLong("acknowledged");
      samplings++;
    });
    vertx.setPeriodic(REPORT_MILLIS, id -> report(layout.rawView()));
    return Future.succeededFuture();
  }

  private void report(String view) {
    String counts = tables.stream()
      .map(table -> "SELECT '" + table + "' AS t, COUNT(*) AS n FROM `" + table + "`")
      .collect(Collectors.joining(" UNION ALL "));
    pool.query(counts).execute().onComplete(ar -> {
      long seconds = (System.nanoTime() - startNanos) / 1_000_000_000L;
      String rows;
      if (ar.succeeded()) {
        StringBuilder text = new StringBuilder();
        for (Row row : ar.result()) {
          text.append(' ').append(row.getString("t")).append('=').append(row.getLong("n"));
        }
        rows = text.toString();
      } else {
        rows = " (cannot count rows yet: " + ar.cause().getMessage() + ")";
      }
      System.out.printf("[%3ds] collected %d samples in %d frames, %d frames acknowledged; rows stored:%s%n",
        seconds, samplesCollected, samplings, acknowledged, rows);
      if (!queryShown && ar.succeeded()) {
        queryShown = true;
        showQuery(view);
      }
    });
  }

  private void showQuery(String view) {
    System.out.println();
    HttpConfig http = saver.http();
    if (http.enabled()) {
      System.out.println("Dashboard: http://" + http.host() + ":" + http.port() + "/  (the JSON API: /api/hosts, /api/series, /api/query;"
        + " see docs/api.md)");
      System.out.println();
    }
    System.out.println("To look at the samples (the view " + view + " reads raw blocks and samples not yet compacted alike):");
    System.out.println("  mariadb -h " + saver.mysql().host() + " -P " + saver.mysql().port() + " -u root " + saver.mysql().database() + " -e \\");
    System.out.println("    \"SELECT host, metric, tags, time, value FROM " + view
      + " WHERE metric LIKE 'cpu.%' OR metric LIKE 'mem.%' ORDER BY ts DESC, metric LIMIT 20\"");
    System.out.println("  (or with the mysql client; Ctrl-C stops the demo)");
    System.out.println();
  }

  @Override
  public Future<?> stop() {
    return pool.close();
  }
}
