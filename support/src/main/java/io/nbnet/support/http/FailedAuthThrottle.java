package io.nbnet.support.http;

import java.util.LinkedHashMap;
import java.util.Map;
import java.util.OptionalLong;

/**
 * Slows a client that guesses tokens: each address may fail authentication {@link #RATE_PER_SECOND}
 * times a second on average, in bursts of up to {@link #BURST}; past that its requests are refused
 * with 429 (and how long to wait) before their token is even compared, until its allowance has grown
 * back. Failures are reported through the port's {@link ClientErrors} with the address, never the token.
 * The addresses remembered are bounded: the least recently seen are forgotten first.
 */
public final class FailedAuthThrottle {

  static final double RATE_PER_SECOND = 5;
  static final double BURST = 10;
  private static final int MAX_ADDRESSES = 10_000;

  private final ClientErrors errors;
  private final Map<String, Allowance> allowances = new LinkedHashMap<>(256, 0.75f, true) {
    @Override
    protected boolean removeEldestEntry(Map.Entry<String, Allowance> eldest) {
      return size() > MAX_ADDRESSES;
    }
  };

  public FailedAuthThrottle(ClientErrors errors) {
    this.errors = errors;
  }

  /** Seconds {@code address} must wait before its token is checked again, when it is being slowed. */
  public synchronized OptionalLong retryAfterSeconds(String address, long nowNanos) {
    Allowance allowance = allowances.get(address);
    if (allowance == null) {
      return OptionalLong.empty();
    }
    allowance.refill(nowNanos);
    if (allowance.left >= 1) {
      return OptionalLong.empty();
    }
    errors.report("auth_throttled", "requests from " + address + " are refused with 429 after too many failed authentications");
    return OptionalLong.of((long) Math.ceil((1 - allowance.left) / RATE_PER_SECOND));
  }

  /** Counts a failed authentication of {@code address}. */
  public synchronized void failed(String address, long nowNanos) {
    Allowance allowance = allowances.computeIfAbsent(address, a -> new Allowance(nowNanos));
    allowance.refill(nowNanos);
    allowance.left = Math.max(0, allowance.left - 1);
    errors.report("unauthorized", "a request from " + address + " came without a valid token");
  }

  private static final class Allowance {
    double left = BURST;
    long at;

    Allowance(long nowNanos) {
      at = nowNanos;
    }

    void refill(long nowNanos) {
      left = Math.min(BURST, left + (nowNanos - at) / 1e9 * RATE_PER_SECOND);
      at = nowNanos;
    }
  }
}
