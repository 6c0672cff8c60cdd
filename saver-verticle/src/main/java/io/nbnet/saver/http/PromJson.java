package io.nbnet.saver.http;

import io.nbnet.promql.Labels;
import io.nbnet.promql.QueryResult;
import io.nbnet.promql.Values;
import io.vertx.core.buffer.Buffer;
import io.vertx.core.json.Json;

import java.util.Collection;
import java.util.List;

/**
 * The Prometheus API's JSON, written as Prometheus writes it: times as seconds with the milliseconds
 * after a point ({@code 1435781451.781}), values as strings in Go's shortest form ({@code "NaN"},
 * {@code "+Inf"}).
 */
final class PromJson {

  private PromJson() {
  }

  static Buffer success(String data, List<String> warnings) {
    StringBuilder json = new StringBuilder(data.length() + 64).append("{\"status\":\"success\",\"data\":").append(data);
    if (!warnings.isEmpty()) {
      json.append(",\"warnings\":").append(strings(warnings));
    }
    return Buffer.buffer(json.append('}').toString());
  }

  static Buffer error(String errorType, String message) {
    return Buffer.buffer("{\"status\":\"error\",\"errorType\":" + Json.encode(errorType) + ",\"error\":" + Json.encode(message) + "}");
  }

  static String result(QueryResult result) {
    StringBuilder json = new StringBuilder("{\"resultType\":\"").append(result.type()).append("\",\"result\":");
    if (result instanceof QueryResult.Scalar scalar) {
      point(json, scalar.time(), Values.formatPlain(scalar.value()));
    } else if (result instanceof QueryResult.Text text) {
      point(json, text.time(), text.value());
    } else if (result instanceof QueryResult.Vector vector) {
      json.append('[');
      for (int i = 0; i < vector.samples().size(); i++) {
        QueryResult.Sample sample = vector.samples().get(i);
        json.append(i == 0 ? "" : ",").append("{\"metric\":");
        labels(json, sample.metric());
        json.append(",\"value\":");
        point(json, sample.time(), Values.formatPlain(sample.value()));
        json.append('}');
      }
      json.append(']');
    } else {
      QueryResult.Matrix matrix = (QueryResult.Matrix) result;
      json.append('[');
      for (int i = 0; i < matrix.series().size(); i++) {
        QueryResult.Series series = matrix.series().get(i);
        json.append(i == 0 ? "" : ",").append("{\"metric\":");
        labels(json, series.metric());
        json.append(",\"values\":[");
        for (int p = 0; p < series.times().length; p++) {
          if (p > 0) {
            json.append(',');
          }
          point(json, series.times()[p], Values.formatPlain(series.values()[p]));
        }
        json.append("]}");
      }
      json.append(']');
    }
    return json.append('}').toString();
  }

  static String labelSets(Collection<Labels> sets) {
    StringBuilder json = new StringBuilder("[");
    boolean first = true;
    for (Labels labels : sets) {
      json.append(first ? "" : ",");
      labels(json, labels);
      first = false;
    }
    return json.append(']').toString();
  }

  static String strings(Collection<String> values) {
    StringBuilder json = new StringBuilder("[");
    boolean first = true;
    for (String value : values) {
      json.append(first ? "" : ",").append(Json.encode(value));
      first = false;
    }
    return json.append(']').toString();
  }

  private static void labels(StringBuilder json, Labels labels) {
    json.append('{');
    for (int i = 0; i < labels.size(); i++) {
      json.append(i == 0 ? "" : ",").append(Json.encode(labels.name(i))).append(':').append(Json.encode(labels.value(i)));
    }
    json.append('}');
  }

  /** {@code [1435781451.781,"1"]}: Prometheus's {@code MarshalTimestamp} keeps the milliseconds' zeros out only when all are zero. */
  private static void point(StringBuilder json, long time, String value) {
    json.append('[');
    long t = time;
    if (t < 0) {
      json.append('-');
      t = -t;
    }
    json.append(t / 1000);
    long fraction = t % 1000;
    if (fraction != 0) {
      json.append('.');
      if (fraction < 100) {
        json.append('0');
      }
      if (fraction < 10) {
        json.append('0');
      }
      json.append(fraction);
    }
    json.append(',').append(Json.encode(value)).append(']');
  }
}
