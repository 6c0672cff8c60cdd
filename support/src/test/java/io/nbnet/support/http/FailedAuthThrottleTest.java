package io.nbnet.support.http;

import org.junit.jupiter.api.Test;

import java.util.OptionalLong;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

class FailedAuthThrottleTest {

  private static final long SECOND = 1_000_000_000L;

  @Test
  void anAddressIsSlowedPastItsBurstAndLetBackAsItsAllowanceGrows() {
    FailedAuthThrottle throttle = new FailedAuthThrottle(new ClientErrors("test"));
    long now = 5 * SECOND;
    for (int i = 0; i < FailedAuthThrottle.BURST; i++) {
      assertTrue(throttle.retryAfterSeconds("10.0.0.1", now).isEmpty(), "failure " + i);
      throttle.failed("10.0.0.1", now);
    }
    assertEquals(OptionalLong.of(1), throttle.retryAfterSeconds("10.0.0.1", now));
    assertTrue(throttle.retryAfterSeconds("10.0.0.2", now).isEmpty(), "another address is not slowed");
    assertTrue(throttle.retryAfterSeconds("10.0.0.1", now + SECOND).isPresent() == false, "a second later it may try again");
  }

  @Test
  void aSteadyGuesserGetsNoMoreThanTheRate() {
    FailedAuthThrottle throttle = new FailedAuthThrottle(new ClientErrors("test"));
    int tried = 0;
    // 1,000 attempts a second for ten seconds
    for (long at = 0; at < 10 * SECOND; at += SECOND / 1000) {
      if (throttle.retryAfterSeconds("10.0.0.9", at).isEmpty()) {
        throttle.failed("10.0.0.9", at);
        tried++;
      }
    }
    assertTrue(tried <= FailedAuthThrottle.BURST + 10 * FailedAuthThrottle.RATE_PER_SECOND + 1, "tried " + tried);
    assertTrue(tried >= 10 * FailedAuthThrottle.RATE_PER_SECOND, "tried " + tried);
  }
}
