package io.nbnet.store.mysql;

import io.vertx.core.Future;
import io.vertx.sqlclient.Pool;
import io.vertx.sqlclient.PrepareOptions;
import io.vertx.sqlclient.PreparedQuery;
import io.vertx.sqlclient.Query;
import io.vertx.sqlclient.Row;
import io.vertx.sqlclient.RowSet;
import io.vertx.sqlclient.SqlConnection;
import io.vertx.sqlclient.SqlResult;
import io.vertx.sqlclient.Tuple;

import java.util.List;
import java.util.function.Function;
import java.util.stream.Collector;

/**
 * A pool whose connections close when MySQL leaves them unanswered for the response timeout
 * ({@link ResponseTimeout}): each connection gets the bound when it is taken from the pool, and the
 * pool's own queries run on a connection taken that way. The bound is not set in the pool's connect
 * handler: with Vert.x 5.0.7 a connection that closes while that handler hands it to the pool leaves
 * a statement waiting on a slot with no socket behind it (seen as a saver that stopped storing until
 * its flush deadline, its pool "in use" with no socket open, after MySQL went away).
 */
final class ResponseBoundedPool implements Pool {

  private final Pool pool;
  private final long responseTimeoutMillis;

  ResponseBoundedPool(Pool pool, long responseTimeoutMillis) {
    this.pool = pool;
    this.responseTimeoutMillis = responseTimeoutMillis;
  }

  @Override
  public Future<SqlConnection> getConnection() {
    return pool.getConnection().map(connection -> {
      ResponseTimeout.install(connection, responseTimeoutMillis);
      return connection;
    });
  }

  @Override
  public Query<RowSet<Row>> query(String sql) {
    return new OnConnection<>(this, connection -> connection.query(sql));
  }

  @Override
  public PreparedQuery<RowSet<Row>> preparedQuery(String sql) {
    return new OnConnection<>(this, connection -> connection.preparedQuery(sql));
  }

  @Override
  public PreparedQuery<RowSet<Row>> preparedQuery(String sql, PrepareOptions options) {
    return new OnConnection<>(this, connection -> connection.preparedQuery(sql, options));
  }

  @Override
  public int size() {
    return pool.size();
  }

  @Override
  public Future<Void> close() {
    return pool.close();
  }

  /** A query run on a connection of the pool, taken for it and given back once it completes. */
  private record OnConnection<T>(Pool pool, Function<SqlConnection, Query<T>> query) implements PreparedQuery<T> {

    @Override
    public Future<T> execute() {
      return pool.withConnection(connection -> query.apply(connection).execute());
    }

    @Override
    public Future<T> execute(Tuple tuple) {
      return pool.withConnection(connection -> prepared(connection).execute(tuple));
    }

    @Override
    public Future<T> executeBatch(List<Tuple> batch) {
      return pool.withConnection(connection -> prepared(connection).executeBatch(batch));
    }

    @Override
    public <R> PreparedQuery<SqlResult<R>> collecting(Collector<Row, ?, R> collector) {
      return new OnConnection<>(pool, connection -> query.apply(connection).collecting(collector));
    }

    @Override
    public <U> PreparedQuery<RowSet<U>> mapping(Function<Row, U> mapper) {
      return new OnConnection<>(pool, connection -> query.apply(connection).mapping(mapper));
    }

    private PreparedQuery<T> prepared(SqlConnection connection) {
      if (!(query.apply(connection) instanceof PreparedQuery<T> prepared)) {
        throw new IllegalStateException("parameters given to a query that is not prepared");
      }
      return prepared;
    }
  }
}
