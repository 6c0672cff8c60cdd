package io.nbnet.store.staging;

import io.vertx.sqlclient.Row;

import java.util.HashMap;
import java.util.Map;
import java.util.Objects;
import java.util.logging.Logger;

/**
 * Tells which samples of a part differ from the values stored for their keys, and logs a sample of
 * them (one line per part with conflicts, at most one a second): a key stored with another value is
 * either a collector bug or two sources claiming one host, and an operator wants to see which.
 */
final class ConflictLog {

  private static final Logger log = Logger.getLogger(ConflictLog.class.getName());
  private static volatile long lastLogMillis;

  private ConflictLog() {
  }

  static int compare(StagedPart part, Iterable<Row> stored) {
    Map<String, Row> byKey = new HashMap<>();
    for (Row row : stored) {
      byKey.put(row.getLong(0) + "/" + row.getInteger(1), row);
    }
    int conflicts = 0;
    String example = null;
    for (int i = 0; i < part.size(); i++) {
      Row row = byKey.get(part.ts(i) + "/" + part.series(i));
      if (row == null) {
        continue;
      }
      boolean same = part.isText(i) ? Objects.equals(part.text(i), row.getString(3))
        : row.getValue(2) != null && Double.compare(part.value(i), row.getDouble(2)) == 0 && row.getString(3) == null;
      if (!same) {
        conflicts++;
        if (example == null) {
          example = part.name(i) + " at " + part.ts(i) + ": stored " + (row.getString(3) != null ? "\"" + row.getString(3) + "\""
            : row.getValue(2)) + ", sent " + (part.isText(i) ? "\"" + part.text(i) + "\"" : part.value(i));
        }
      }
    }
    long now = System.currentTimeMillis();
    if (conflicts > 0 && now - lastLogMillis >= 1_000) {
      lastLogMillis = now;
      String first = example;
      int count = conflicts;
      log.warning(() -> count + " samples of host " + part.host() + " came with another value than the one stored for their key;"
        + " the stored values are kept. First: " + first);
    }
    return conflicts;
  }
}
