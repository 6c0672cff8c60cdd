package io.nbnet.promql.eval;

import io.nbnet.promql.Labels;

/** One value of an instant vector, with its series' labels and time. */
public record Sample(Labels metric, long time, double value) {

  Sample withValue(double newValue) {
    return new Sample(metric, time, newValue);
  }

  Sample withMetric(Labels newMetric) {
    return new Sample(newMetric, time, value);
  }
}
