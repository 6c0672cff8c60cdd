package io.nbnet.exec.metrics;

import io.micrometer.core.instrument.Counter;
import io.nbnet.support.metrics.NbnetMeters;

/** The exec service's meters, by the service's name, which stays the same when a reload deploys the service anew. */
public final class ExecMeters {

  private ExecMeters() {
  }

  /** Commands by outcome: {@code ok}, {@code failed}, {@code timeout}, {@code not_started}, {@code refused}. */
  public static Counter commands(String service, String outcome) {
    return NbnetMeters.counter("nbnet.exec.commands", "commands by outcome", "service", service, "outcome", outcome);
  }

  public static Counter refusals(String service, String reason) {
    return NbnetMeters.counter("nbnet.exec.refusals", "remote exec requests refused, by reason", "service", service, "reason", reason);
  }
}
