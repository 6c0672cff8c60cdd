package io.nbnet.otlp;

import io.opentelemetry.proto.collector.metrics.v1.ExportMetricsServiceRequest;
import io.opentelemetry.proto.common.v1.AnyValue;
import io.opentelemetry.proto.common.v1.ArrayValue;
import io.opentelemetry.proto.common.v1.KeyValue;
import io.opentelemetry.proto.metrics.v1.AggregationTemporality;
import io.opentelemetry.proto.metrics.v1.ExponentialHistogram;
import io.opentelemetry.proto.metrics.v1.ExponentialHistogramDataPoint;
import io.opentelemetry.proto.metrics.v1.Gauge;
import io.opentelemetry.proto.metrics.v1.Histogram;
import io.opentelemetry.proto.metrics.v1.HistogramDataPoint;
import io.opentelemetry.proto.metrics.v1.Metric;
import io.opentelemetry.proto.metrics.v1.NumberDataPoint;
import io.opentelemetry.proto.metrics.v1.ResourceMetrics;
import io.opentelemetry.proto.metrics.v1.ScopeMetrics;
import io.opentelemetry.proto.metrics.v1.Sum;
import io.opentelemetry.proto.metrics.v1.Summary;
import io.opentelemetry.proto.metrics.v1.SummaryDataPoint;
import io.opentelemetry.proto.resource.v1.Resource;
import io.vertx.core.json.DecodeException;
import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;

import java.util.ArrayList;
import java.util.List;

/**
 * OTLP/JSON (the protobuf JSON mapping the OTLP specification fixes: lowerCamelCase keys, 64-bit
 * integers as strings or numbers, enums as integers) read into the protobuf request, for the metrics
 * nbnet takes. What it does not read (exemplars, scope attributes) it leaves out.
 */
public final class OtlpJson {

  private OtlpJson() {
  }

  /** @throws IllegalArgumentException for a body that is not such JSON */
  public static ExportMetricsServiceRequest parse(String body) {
    JsonObject root;
    try {
      root = new JsonObject(body);
    } catch (DecodeException | ClassCastException e) {
      throw new IllegalArgumentException("the body is not a JSON object");
    }
    try {
      ExportMetricsServiceRequest.Builder request = ExportMetricsServiceRequest.newBuilder();
      for (JsonObject resource : objects(root.getJsonArray("resourceMetrics"))) {
        ResourceMetrics.Builder resourceMetrics = ResourceMetrics.newBuilder().setResource(Resource.newBuilder()
          .addAllAttributes(attributes(resource.getJsonObject("resource", new JsonObject()).getJsonArray("attributes"))));
        for (JsonObject scope : objects(resource.getJsonArray("scopeMetrics"))) {
          ScopeMetrics.Builder scopeMetrics = ScopeMetrics.newBuilder();
          objects(scope.getJsonArray("metrics")).forEach(metric -> scopeMetrics.addMetrics(metric(metric)));
          resourceMetrics.addScopeMetrics(scopeMetrics);
        }
        request.addResourceMetrics(resourceMetrics);
      }
      return request.build();
    } catch (ClassCastException | NumberFormatException e) {
      throw new IllegalArgumentException("the body is not an OTLP ExportMetricsServiceRequest: " + e.getMessage());
    }
  }

  private static Metric metric(JsonObject json) {
    Metric.Builder metric = Metric.newBuilder().setName(json.getString("name", "")).setUnit(json.getString("unit", ""))
      .setDescription(json.getString("description", ""));
    if (json.containsKey("gauge")) {
      Gauge.Builder gauge = Gauge.newBuilder();
      objects(json.getJsonObject("gauge").getJsonArray("dataPoints")).forEach(point -> gauge.addDataPoints(number(point)));
      metric.setGauge(gauge);
    } else if (json.containsKey("sum")) {
      JsonObject sumJson = json.getJsonObject("sum");
      Sum.Builder sum = Sum.newBuilder().setIsMonotonic(sumJson.getBoolean("isMonotonic", false))
        .setAggregationTemporality(temporality(sumJson));
      objects(sumJson.getJsonArray("dataPoints")).forEach(point -> sum.addDataPoints(number(point)));
      metric.setSum(sum);
    } else if (json.containsKey("histogram")) {
      JsonObject histogramJson = json.getJsonObject("histogram");
      Histogram.Builder histogram = Histogram.newBuilder().setAggregationTemporality(temporality(histogramJson));
      for (JsonObject point : objects(histogramJson.getJsonArray("dataPoints"))) {
        HistogramDataPoint.Builder data = HistogramDataPoint.newBuilder().addAllAttributes(attributes(point.getJsonArray("attributes")))
          .setTimeUnixNano(integer(point.getValue("timeUnixNano"))).setCount(integer(point.getValue("count")))
          .setFlags((int) integer(point.getValue("flags")));
        if (point.containsKey("sum")) {
          data.setSum(point.getDouble("sum"));
        }
        point.getJsonArray("bucketCounts", new JsonArray()).forEach(count -> data.addBucketCounts(integer(count)));
        point.getJsonArray("explicitBounds", new JsonArray()).forEach(bound -> data.addExplicitBounds(((Number) bound).doubleValue()));
        histogram.addDataPoints(data);
      }
      metric.setHistogram(histogram);
    } else if (json.containsKey("summary")) {
      Summary.Builder summary = Summary.newBuilder();
      for (JsonObject point : objects(json.getJsonObject("summary").getJsonArray("dataPoints"))) {
        SummaryDataPoint.Builder data = SummaryDataPoint.newBuilder().addAllAttributes(attributes(point.getJsonArray("attributes")))
          .setTimeUnixNano(integer(point.getValue("timeUnixNano"))).setCount(integer(point.getValue("count")))
          .setSum(point.getDouble("sum", 0.0)).setFlags((int) integer(point.getValue("flags")));
        objects(point.getJsonArray("quantileValues")).forEach(quantile -> data.addQuantileValues(SummaryDataPoint.ValueAtQuantile.newBuilder()
          .setQuantile(quantile.getDouble("quantile", 0.0)).setValue(quantile.getDouble("value", 0.0))));
        summary.addDataPoints(data);
      }
      metric.setSummary(summary);
    } else if (json.containsKey("exponentialHistogram")) {
      ExponentialHistogram.Builder histogram = ExponentialHistogram.newBuilder();
      objects(json.getJsonObject("exponentialHistogram").getJsonArray("dataPoints"))
        .forEach(point -> histogram.addDataPoints(ExponentialHistogramDataPoint.getDefaultInstance()));
      metric.setExponentialHistogram(histogram);
    }
    return metric.build();
  }

  private static NumberDataPoint number(JsonObject point) {
    NumberDataPoint.Builder data = NumberDataPoint.newBuilder().addAllAttributes(attributes(point.getJsonArray("attributes")))
      .setTimeUnixNano(integer(point.getValue("timeUnixNano"))).setFlags((int) integer(point.getValue("flags")));
    if (point.containsKey("asInt")) {
      data.setAsInt(integer(point.getValue("asInt")));
    } else {
      data.setAsDouble(number(point.getValue("asDouble")));
    }
    return data.build();
  }

  private static AggregationTemporality temporality(JsonObject json) {
    AggregationTemporality temporality = AggregationTemporality.forNumber((int) integer(json.getValue("aggregationTemporality")));
    return temporality == null ? AggregationTemporality.AGGREGATION_TEMPORALITY_UNSPECIFIED : temporality;
  }

  private static List<KeyValue> attributes(JsonArray json) {
    List<KeyValue> attributes = new ArrayList<>();
    for (JsonObject attribute : objects(json)) {
      attributes.add(KeyValue.newBuilder().setKey(attribute.getString("key", "")).setValue(value(attribute.getJsonObject("value",
        new JsonObject()))).build());
    }
    return attributes;
  }

  private static AnyValue value(JsonObject json) {
    if (json.containsKey("stringValue")) {
      return AnyValue.newBuilder().setStringValue(json.getString("stringValue")).build();
    }
    if (json.containsKey("boolValue")) {
      return AnyValue.newBuilder().setBoolValue(json.getBoolean("boolValue")).build();
    }
    if (json.containsKey("intValue")) {
      return AnyValue.newBuilder().setIntValue(integer(json.getValue("intValue"))).build();
    }
    if (json.containsKey("doubleValue")) {
      return AnyValue.newBuilder().setDoubleValue(number(json.getValue("doubleValue"))).build();
    }
    if (json.containsKey("arrayValue")) {
      ArrayValue.Builder array = ArrayValue.newBuilder();
      objects(json.getJsonObject("arrayValue").getJsonArray("values")).forEach(item -> array.addValues(value(item)));
      return AnyValue.newBuilder().setArrayValue(array).build();
    }
    return AnyValue.getDefaultInstance();
  }

  /** A 64-bit integer written as a string or a number; 0 when absent. */
  private static long integer(Object value) {
    if (value == null) {
      return 0;
    }
    return value instanceof Number number ? number.longValue() : Long.parseUnsignedLong(value.toString());
  }

  /** A double written as a number or as "NaN", "Infinity", "-Infinity" (protobuf's JSON mapping). */
  private static double number(Object value) {
    if (value == null) {
      return 0;
    }
    return value instanceof Number number ? number.doubleValue() : Double.parseDouble(value.toString());
  }

  private static Iterable<JsonObject> objects(JsonArray array) {
    List<JsonObject> objects = new ArrayList<>();
    if (array != null) {
      array.forEach(item -> objects.add((JsonObject) item));
    }
    return objects;
  }
}
