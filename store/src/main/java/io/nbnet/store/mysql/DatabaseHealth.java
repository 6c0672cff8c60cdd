package io.nbnet.store.mysql;

import io.vertx.core.Vertx;
import io.vertx.sqlclient.Pool;

import java.util.concurrent.TimeUnit;
import java.util.logging.Logger;

/**
 * Whether MySQL takes writes now. A write that fails for any reason but the data marks it down:
 * from then on the saver answers {@code ERR unavailable} at once, holding nothing, while a probe
 * ({@code SELECT 1}) retries with backoff; the first probe that succeeds marks it up again.
 */
public final class DatabaseHealth {

  private static final Logger log = Logger.getLogger(DatabaseHealth.class.getName());
  private static final long FIRST_PROBE_MILLIS = 250;
  private static final long MAX_PROBE_MILLIS = 5_000;

  private final Vertx vertx;
  private final Pool pool;
  private final long responseTimeoutMillis;
  private boolean up = true;
  private long probeMillis = FIRST_PROBE_MILLIS;
  private long probeTimer = -1;
  private long downSinceNanos;

  /** @param responseTimeoutMillis a probe without an answer by then counts as failed */
  public DatabaseHealth(Vertx vertx, Pool pool, long responseTimeoutMillis) {
    this.vertx = vertx;
    this.pool = pool;
    this.responseTimeoutMillis = responseTimeoutMillis;
  }

  public boolean isUp() {
    return up;
  }

  /** A write failed; data errors say nothing about MySQL's health and are ignored. */
  public void reportFailure(Throwable failure) {
    if (!up || DatabaseErrors.isDataError(failure)) {
      return;
    }
    up = false;
    downSinceNanos = System.nanoTime();
    log.warning("MySQL writes are failing (" + failure.getMessage() + "); senders are told to retry until MySQL answers again");
    probeLater();
  }

  public void stop() {
    if (probeTimer >= 0) {
      vertx.cancelTimer(probeTimer);
    }
  }

  private void probeLater() {
    probeTimer = vertx.setTimer(probeMillis, id -> pool.query("SELECT 1").execute().timeout(responseTimeoutMillis, TimeUnit.MILLISECONDS)
      .onComplete(ar -> {
        if (ar.succeeded()) {
          up = true;
          probeMillis = FIRST_PROBE_MILLIS;
          log.info("MySQL answers again after " + (System.nanoTime() - downSinceNanos) / 1_000_000 + " ms; storing resumes");
        } else {
          probeMillis = Math.min(MAX_PROBE_MILLIS, probeMillis * 2);
          probeLater();
        }
      }));
  }
}
