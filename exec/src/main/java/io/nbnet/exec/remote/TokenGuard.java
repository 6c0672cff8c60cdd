package io.nbnet.exec.remote;

import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.util.ArrayDeque;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Optional;
import java.util.function.LongSupplier;

/**
 * Checks exec tokens and stops guessing: after {@code maxWrongTokens} wrong tokens from one address
 * within {@code windowMillis}, that address is refused for {@code lockoutMillis}, whatever token it
 * presents and however often it reconnects. Addresses are remembered in a bounded table (the least
 * recently seen is forgotten first), so a flood of addresses cannot grow memory without end.
 */
final class TokenGuard {

  /** Remembered addresses at most. */
  static final int MAX_ADDRESSES = 10_000;

  private final Optional<byte[]> token;
  private final int maxWrongTokens;
  private final long windowMillis;
  private final long lockoutMillis;
  private final LongSupplier clockMillis;
  private final Map<String, Record> byAddress = new LinkedHashMap<>(16, 0.75f, true) {
    @Override
    protected boolean removeEldestEntry(Map.Entry<String, Record> eldest) {
      return size() > MAX_ADDRESSES;
    }
  };

  /** What the guard knows of one address. */
  private static final class Record {
    final ArrayDeque<Long> wrongAt = new ArrayDeque<>();
    long lockedUntil;
  }

  /** How a presented token was judged. */
  enum Verdict { ACCEPTED, WRONG, LOCKED_NOW, LOCKED }

  TokenGuard(Optional<String> token, int maxWrongTokens, long windowMillis, long lockoutMillis, LongSupplier clockMillis) {
    this.token = token.map(t -> t.getBytes(StandardCharsets.UTF_8));
    this.maxWrongTokens = maxWrongTokens;
    this.windowMillis = windowMillis;
    this.lockoutMillis = lockoutMillis;
    this.clockMillis = clockMillis;
  }

  Verdict check(String address, String presented) {
    long now = clockMillis.getAsLong();
    Record record = byAddress.get(address);
    if (record != null && record.lockedUntil > now) {
      return Verdict.LOCKED;
    }
    if (token.isEmpty() || presented != null
      && MessageDigest.isEqual(token.get(), presented.getBytes(StandardCharsets.UTF_8))) {
      return Verdict.ACCEPTED;
    }
    if (record == null) {
      record = new Record();
      byAddress.put(address, record);
    }
    record.wrongAt.addLast(now);
    while (!record.wrongAt.isEmpty() && record.wrongAt.peekFirst() <= now - windowMillis) {
      record.wrongAt.pollFirst();
    }
    if (record.wrongAt.size() >= maxWrongTokens) {
      record.wrongAt.clear();
      record.lockedUntil = now + lockoutMillis;
      return Verdict.LOCKED_NOW;
    }
    return Verdict.WRONG;
  }

  /** Milliseconds until an address may try again; 0 when it is not locked out. */
  long lockedForMillis(String address) {
    Record record = byAddress.get(address);
    return record == null ? 0 : Math.max(0, record.lockedUntil - clockMillis.getAsLong());
  }
}
