package io.nbnet.promql;

import java.util.List;

/** What a query evaluated to: a scalar, a string, an instant vector or a range vector (a matrix). */
public sealed interface QueryResult {

  /** The API's {@code resultType}. */
  String type();

  record Scalar(long time, double value) implements QueryResult {
    @Override
    public String type() {
      return "scalar";
    }
  }

  record Text(long time, String value) implements QueryResult {
    @Override
    public String type() {
      return "string";
    }
  }

  /** One sample of an instant vector. */
  record Sample(Labels metric, long time, double value) {
  }

  record Vector(List<Sample> samples) implements QueryResult {
    @Override
    public String type() {
      return "vector";
    }
  }

  /** One series of a matrix: points in time order. */
  record Series(Labels metric, long[] times, double[] values) {
  }

  record Matrix(List<Series> series) implements QueryResult {
    @Override
    public String type() {
      return "matrix";
    }
  }
}
