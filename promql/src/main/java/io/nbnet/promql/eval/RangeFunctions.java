package io.nbnet.promql.eval;

import io.nbnet.promql.PromqlException;
import io.nbnet.promql.parser.Ast;

import java.util.ArrayList;
import java.util.List;

/**
 * The functions of a range vector, one series' window at one step, as Prometheus 2.42 computes them
 * ({@code rate}'s extrapolation, Kahan sums, the linear regression of {@code deriv}). A function with
 * nothing to say for the window answers NaN's absence: {@link #NONE}.
 */
final class RangeFunctions {

  /** No value at this step (e.g. a rate of fewer than two samples). */
  static final double NONE = Double.longBitsToDouble(0x7ff8dead0000beefL);

  private RangeFunctions() {
  }

  static boolean isNone(double value) {
    return Double.doubleToRawLongBits(value) == Double.doubleToRawLongBits(NONE);
  }

  /**
   * @param scalars the call's scalar arguments at this step, by argument position
   * @param ts      the step's time
   */
  static double apply(String name, Series window, double[] scalars, long ts, Ast.MatrixSelector selector) {
    return switch (name) {
      case "rate" -> extrapolatedRate(window, ts, selector, true, true);
      case "increase" -> extrapolatedRate(window, ts, selector, true, false);
      case "delta" -> extrapolatedRate(window, ts, selector, false, false);
      case "irate" -> instantValue(window, true);
      case "idelta" -> instantValue(window, false);
      case "avg_over_time" -> avg(window);
      case "count_over_time" -> window.size();
      case "last_over_time" -> window.value(window.size() - 1);
      case "max_over_time" -> max(window);
      case "min_over_time" -> min(window);
      case "sum_over_time" -> sum(window);
      case "quantile_over_time" -> quantile(scalars[0], window);
      case "stddev_over_time" -> Math.sqrt(variance(window));
      case "stdvar_over_time" -> variance(window);
      case "present_over_time", "absent_over_time" -> 1;
      case "changes" -> changes(window);
      case "resets" -> resets(window);
      case "deriv" -> window.size() < 2 ? NONE : regression(window, window.time(0))[0];
      case "predict_linear" -> predictLinear(window, scalars[1], ts);
      case "holt_winters" -> holtWinters(window, scalars[1], scalars[2]);
      default -> throw new IllegalStateException("not a range function: " + name);
    };
  }

  private static double extrapolatedRate(Series samples, long ts, Ast.MatrixSelector selector, boolean isCounter, boolean isRate) {
    int n = samples.size();
    if (n < 2) {
      return NONE;
    }
    long rangeStart = ts - (selector.range + selector.selector.offset);
    long rangeEnd = ts - selector.selector.offset;
    double first = samples.value(0);
    double result = samples.value(n - 1) - first;
    if (isCounter) {
      double previous = first;
      for (int i = 1; i < n; i++) {
        double current = samples.value(i);
        if (current < previous) {
          result += previous;
        }
        previous = current;
      }
    }
    double durationToStart = (samples.time(0) - rangeStart) / 1000.0;
    double durationToEnd = (rangeEnd - samples.time(n - 1)) / 1000.0;
    double sampledInterval = (samples.time(n - 1) - samples.time(0)) / 1000.0;
    double averageBetweenSamples = sampledInterval / (n - 1);
    if (isCounter && result > 0 && first >= 0) {
      double durationToZero = sampledInterval * (first / result);
      if (durationToZero < durationToStart) {
        durationToStart = durationToZero;
      }
    }
    double threshold = averageBetweenSamples * 1.1;
    double extrapolateTo = sampledInterval;
    extrapolateTo += durationToStart < threshold ? durationToStart : averageBetweenSamples / 2;
    extrapolateTo += durationToEnd < threshold ? durationToEnd : averageBetweenSamples / 2;
    double factor = extrapolateTo / sampledInterval;
    if (isRate) {
      factor /= selector.range / 1000.0;
    }
    return result * factor;
  }

  private static double instantValue(Series samples, boolean isRate) {
    int n = samples.size();
    if (n < 2) {
      return NONE;
    }
    double last = samples.value(n - 1);
    double previous = samples.value(n - 2);
    double result = isRate && last < previous ? last : last - previous;
    long interval = samples.time(n - 1) - samples.time(n - 2);
    if (interval == 0) {
      return NONE;
    }
    return isRate ? result / (interval / 1000.0) : result;
  }

  /** Kahan-Babuska summation step: returns {sum, compensation}. */
  static double[] kahanInc(double inc, double sum, double c) {
    double t = sum + inc;
    if (Math.abs(sum) >= Math.abs(inc)) {
      c += (sum - t) + inc;
    } else {
      c += (inc - t) + sum;
    }
    return new double[] {t, c};
  }

  private static double avg(Series values) {
    double mean = 0;
    double c = 0;
    double count = 0;
    for (int i = 0; i < values.size(); i++) {
      double v = values.value(i);
      count++;
      if (Double.isInfinite(mean)) {
        if (Double.isInfinite(v) && (mean > 0) == (v > 0)) {
          continue;
        }
        if (!Double.isInfinite(v) && !Double.isNaN(v)) {
          continue;
        }
      }
      double[] next = kahanInc(v / count - mean / count, mean, c);
      mean = next[0];
      c = next[1];
    }
    return Double.isInfinite(mean) ? mean : mean + c;
  }

  private static double max(Series values) {
    double max = values.value(0);
    for (int i = 0; i < values.size(); i++) {
      double v = values.value(i);
      if (v > max || Double.isNaN(max)) {
        max = v;
      }
    }
    return max;
  }

  private static double min(Series values) {
    double min = values.value(0);
    for (int i = 0; i < values.size(); i++) {
      double v = values.value(i);
      if (v < min || Double.isNaN(min)) {
        min = v;
      }
    }
    return min;
  }

  private static double sum(Series values) {
    double sum = 0;
    double c = 0;
    for (int i = 0; i < values.size(); i++) {
      double[] next = kahanInc(values.value(i), sum, c);
      sum = next[0];
      c = next[1];
    }
    return Double.isInfinite(sum) ? sum : sum + c;
  }

  private static double quantile(double q, Series window) {
    List<Double> values = new ArrayList<>(window.size());
    for (int i = 0; i < window.size(); i++) {
      values.add(window.value(i));
    }
    return Quantiles.quantile(q, values);
  }

  private static double variance(Series values) {
    double count = 0;
    double mean = 0;
    double cMean = 0;
    double aux = 0;
    double cAux = 0;
    for (int i = 0; i < values.size(); i++) {
      double v = values.value(i);
      count++;
      double delta = v - (mean + cMean);
      double[] nextMean = kahanInc(delta / count, mean, cMean);
      mean = nextMean[0];
      cMean = nextMean[1];
      double[] nextAux = kahanInc(delta * (v - (mean + cMean)), aux, cAux);
      aux = nextAux[0];
      cAux = nextAux[1];
    }
    return (aux + cAux) / count;
  }

  private static double changes(Series samples) {
    int changes = 0;
    double previous = samples.value(0);
    for (int i = 1; i < samples.size(); i++) {
      double current = samples.value(i);
      if (current != previous && !(Double.isNaN(current) && Double.isNaN(previous))) {
        changes++;
      }
      previous = current;
    }
    return changes;
  }

  private static double resets(Series samples) {
    int resets = 0;
    double previous = samples.value(0);
    for (int i = 1; i < samples.size(); i++) {
      double current = samples.value(i);
      if (current < previous) {
        resets++;
      }
      previous = current;
    }
    return resets;
  }

  /** Least squares over the window, times in seconds from {@code interceptTime}: {slope, intercept}. */
  static double[] regression(Series samples, long interceptTime) {
    double n = 0;
    double sumX = 0;
    double cX = 0;
    double sumY = 0;
    double cY = 0;
    double sumXY = 0;
    double cXY = 0;
    double sumX2 = 0;
    double cX2 = 0;
    double initY = samples.value(0);
    boolean constY = true;
    for (int i = 0; i < samples.size(); i++) {
      double v = samples.value(i);
      if (constY && i > 0 && v != initY) {
        constY = false;
      }
      n += 1.0;
      double x = (samples.time(i) - interceptTime) / 1e3;
      double[] next = kahanInc(x, sumX, cX);
      sumX = next[0];
      cX = next[1];
      next = kahanInc(v, sumY, cY);
      sumY = next[0];
      cY = next[1];
      next = kahanInc(x * v, sumXY, cXY);
      sumXY = next[0];
      cXY = next[1];
      next = kahanInc(x * x, sumX2, cX2);
      sumX2 = next[0];
      cX2 = next[1];
    }
    if (constY) {
      if (Double.isInfinite(initY)) {
        return new double[] {Double.NaN, Double.NaN};
      }
      return new double[] {0, initY};
    }
    sumX += cX;
    sumY += cY;
    sumXY += cXY;
    sumX2 += cX2;
    double covXY = sumXY - sumX * sumY / n;
    double varX = sumX2 - sumX * sumX / n;
    double slope = covXY / varX;
    double intercept = sumY / n - slope * sumX / n;
    return new double[] {slope, intercept};
  }

  private static double predictLinear(Series samples, double duration, long ts) {
    if (samples.size() < 2) {
      return NONE;
    }
    double[] fit = regression(samples, ts);
    return fit[0] * duration + fit[1];
  }

  private static double holtWinters(Series samples, double smoothing, double trend) {
    if (smoothing <= 0 || smoothing >= 1) {
      throw new PromqlException(PromqlException.Kind.EXECUTION,
        String.format(java.util.Locale.ROOT, "invalid smoothing factor. Expected: 0 < sf < 1, got: %f", smoothing));
    }
    if (trend <= 0 || trend >= 1) {
      throw new PromqlException(PromqlException.Kind.EXECUTION,
        String.format(java.util.Locale.ROOT, "invalid trend factor. Expected: 0 < tf < 1, got: %f", trend));
    }
    int n = samples.size();
    if (n < 2) {
      return NONE;
    }
    double s0 = 0;
    double s1 = samples.value(0);
    double b = samples.value(1) - samples.value(0);
    for (int i = 1; i < n; i++) {
      double x = smoothing * samples.value(i);
      b = i - 1 == 0 ? b : trend * (s1 - s0) + (1 - trend) * b;
      double y = (1 - smoothing) * (s1 + b);
      s0 = s1;
      s1 = x + y;
    }
    return s1;
  }
}
