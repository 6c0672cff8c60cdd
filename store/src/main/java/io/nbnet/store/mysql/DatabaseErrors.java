package io.nbnet.store.mysql;

import io.nbnet.store.StoreException;
import io.vertx.mysqlclient.MySQLException;

import java.util.Set;

/**
 * Sorts database failures into "this data can never be stored" (an error reply, no retry) and
 * "the database cannot take it now" (the sender retries later).
 */
public final class DatabaseErrors {

  /** MySQL error codes that reject the data itself. */
  private static final Set<Integer> DATA_ERRORS = Set.of(
    1048, // column cannot be null
    1264, // out of range value
    1265, // data truncated
    1292, // incorrect value
    1366, // incorrect string or integer value
    1406, // data too long
    1526  // no partition for value
  );

  private DatabaseErrors() {
  }

  /** True when MySQL refused the data itself: sending it again would fail again. */
  public static boolean isDataError(Throwable failure) {
    return failure instanceof MySQLException mysql && DATA_ERRORS.contains(mysql.getErrorCode());
  }

  /** The failure as the store reports it: the data refused, or the database unable to take it now. */
  public static StoreException toStoreException(Throwable failure) {
    if (failure instanceof StoreException known) {
      return known;
    }
    if (isDataError(failure)) {
      return StoreException.invalid("MySQL rejected the data: " + failure.getMessage(), failure);
    }
    return StoreException.unavailable("MySQL cannot store it now: " + failure.getMessage(), failure);
  }
}
