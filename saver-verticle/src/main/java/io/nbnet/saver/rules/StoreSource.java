package io.nbnet.saver.rules;

import io.nbnet.promql.Matcher;
import io.nbnet.promql.PromqlException;
import io.nbnet.promql.SeriesSource;
import io.nbnet.promql.StoredSeries;
import io.nbnet.saver.promql.SampleBudget;
import io.nbnet.saver.query.SeriesReader;
import io.nbnet.store.Tier;
import io.vertx.core.Context;

import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;

/**
 * The store as the engine reads it while a rule is evaluated on a worker thread: each selection is
 * asked of the reader on the saver's event loop (where the reader lives) and waited for, within the
 * rule's time and sample budget.
 */
final class StoreSource implements SeriesSource {

  private final Context context;
  private final SeriesReader reader;
  private final SampleBudget budget;
  private final long deadlineNanos;

  StoreSource(Context context, SeriesReader reader, long maxSamples, long timeoutMillis) {
    this.context = context;
    this.reader = reader;
    this.deadlineNanos = System.nanoTime() + TimeUnit.MILLISECONDS.toNanos(timeoutMillis);
    this.budget = new SampleBudget(maxSamples, deadlineNanos);
  }

  @Override
  public List<StoredSeries> select(List<Matcher> matchers, long start, long end) {
    CompletableFuture<List<StoredSeries>> result = new CompletableFuture<>();
    context.runOnContext(v -> {
      try {
        reader.select(matchers, start, end, Tier.RAW, budget).onComplete(done -> {
          if (done.succeeded()) {
            result.complete(done.result());
          } else {
            result.completeExceptionally(done.cause());
          }
        });
      } catch (RuntimeException e) {
        result.completeExceptionally(e);
      }
    });
    try {
      return result.get(Math.max(0, deadlineNanos - System.nanoTime()), TimeUnit.NANOSECONDS);
    } catch (TimeoutException e) {
      throw new PromqlException(PromqlException.Kind.TIMEOUT, "rule query timed out reading the store");
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      throw new PromqlException(PromqlException.Kind.TIMEOUT, "rule query interrupted");
    } catch (ExecutionException e) {
      if (e.getCause() instanceof PromqlException promql) {
        throw promql;
      }
      throw new PromqlException(PromqlException.Kind.EXECUTION, "cannot read the store: " + e.getCause().getMessage());
    }
  }
}
