package io.nbnet.otlp;

import io.nbnet.formats.Sample;
import io.nbnet.formats.SampleLimits;
import io.nbnet.formats.SpecialValues;
import io.nbnet.formats.Tags;
import io.nbnet.remotewrite.DecodedWrite;
import io.opentelemetry.proto.collector.metrics.v1.ExportMetricsServiceRequest;
import io.opentelemetry.proto.common.v1.AnyValue;
import io.opentelemetry.proto.common.v1.KeyValue;
import io.opentelemetry.proto.metrics.v1.AggregationTemporality;
import io.opentelemetry.proto.metrics.v1.HistogramDataPoint;
import io.opentelemetry.proto.metrics.v1.Metric;
import io.opentelemetry.proto.metrics.v1.NumberDataPoint;
import io.opentelemetry.proto.metrics.v1.ResourceMetrics;
import io.opentelemetry.proto.metrics.v1.ScopeMetrics;
import io.opentelemetry.proto.metrics.v1.SummaryDataPoint;

import java.math.BigDecimal;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;

/**
 * OTLP metrics as nbnet's samples, the way Prometheus's OTLP translation turns them into series: the
 * metric named by {@link OtlpNames}; a data point's attributes as labels; of the resource,
 * {@code host.name} is the host (else the receiver's default), {@code service.name} (after
 * {@code service.namespace/}) the {@code job} label and {@code service.instance.id} the {@code instance}
 * label, its other attributes no labels. Gauges and cumulative sums become a series each; a cumulative
 * histogram {@code _bucket} series (cumulative, {@code le}, {@code +Inf} = count), {@code _sum} and
 * {@code _count}; a summary a series per {@code quantile}, {@code _sum} and {@code _count}. Delta
 * temporality and exponential histograms are refused (counted and named); a point flagged as having
 * no recorded value is a stale marker; NaN and ±Inf are kept.
 */
public final class OtlpDecoder {

  /** Problems named in the answer at most: the rest are only counted. */
  private static final int NAMED_PROBLEMS = 5;
  private static final int NO_RECORDED_VALUE = 1;

  private final String defaultHost;

  public OtlpDecoder(String defaultHost) {
    this.defaultHost = defaultHost;
  }

  /** The samples of {@code request} whose times lie in {@code [oldestMillis, newestMillis]}. */
  public DecodedWrite decode(ExportMetricsServiceRequest request, long oldestMillis, long newestMillis) {
    DecodedWrite.Builder out = new DecodedWrite.Builder(NAMED_PROBLEMS);
    for (ResourceMetrics resource : request.getResourceMetricsList()) {
      Map<String, String> attributes = attributes(resource.getResource().getAttributesList());
      String host = attributes.getOrDefault("host.name", defaultHost);
      Map<String, String> common = new TreeMap<>();
      String service = attributes.get("service.name");
      if (service != null) {
        String namespace = attributes.get("service.namespace");
        common.put("job", namespace == null ? service : namespace + "/" + service);
      }
      if (attributes.containsKey("service.instance.id")) {
        common.put("instance", attributes.get("service.instance.id"));
      }
      Points points = new Points(host, common, oldestMillis, newestMillis, out);
      for (ScopeMetrics scope : resource.getScopeMetricsList()) {
        for (Metric metric : scope.getMetricsList()) {
          metric(metric, points);
        }
      }
    }
    return out.build();
  }

  private static void metric(Metric metric, Points points) {
    String unit = metric.getUnit();
    switch (metric.getDataCase()) {
      case GAUGE -> metric.getGauge().getDataPointsList()
        .forEach(point -> points.number(OtlpNames.metric(metric.getName(), unit, OtlpNames.Kind.GAUGE), point));
      case SUM -> {
        if (metric.getSum().getAggregationTemporality() != AggregationTemporality.AGGREGATION_TEMPORALITY_CUMULATIVE) {
          points.refused(metric.getName() + ": delta sums are not taken (set the exporter's temporality to cumulative)",
            metric.getSum().getDataPointsCount());
          return;
        }
        String name = OtlpNames.metric(metric.getName(), unit, metric.getSum().getIsMonotonic() ? OtlpNames.Kind.MONOTONIC_SUM
          : OtlpNames.Kind.SUM);
        metric.getSum().getDataPointsList().forEach(point -> points.number(name, point));
      }
      case HISTOGRAM -> {
        if (metric.getHistogram().getAggregationTemporality() != AggregationTemporality.AGGREGATION_TEMPORALITY_CUMULATIVE) {
          points.refused(metric.getName() + ": delta histograms are not taken (set the exporter's temporality to cumulative)",
            metric.getHistogram().getDataPointsCount());
          return;
        }
        String name = OtlpNames.metric(metric.getName(), unit, OtlpNames.Kind.HISTOGRAM);
        metric.getHistogram().getDataPointsList().forEach(point -> points.histogram(name, point));
      }
      case SUMMARY -> {
        String name = OtlpNames.metric(metric.getName(), unit, OtlpNames.Kind.SUMMARY);
        metric.getSummary().getDataPointsList().forEach(point -> points.summary(name, point));
      }
      case EXPONENTIAL_HISTOGRAM -> points.refused(metric.getName() + ": exponential histograms are not taken",
        metric.getExponentialHistogram().getDataPointsCount());
      default -> points.refused(metric.getName() + ": a metric without data", 0);
    }
  }

  /** Attribute values as text, as Prometheus's translation writes them into labels. */
  static Map<String, String> attributes(List<KeyValue> attributes) {
    Map<String, String> values = new TreeMap<>();
    for (KeyValue attribute : attributes) {
      values.put(attribute.getKey(), text(attribute.getValue()));
    }
    return values;
  }

  private static String text(AnyValue value) {
    return switch (value.getValueCase()) {
      case STRING_VALUE -> value.getStringValue();
      case BOOL_VALUE -> Boolean.toString(value.getBoolValue());
      case INT_VALUE -> Long.toString(value.getIntValue());
      case DOUBLE_VALUE -> Double.toString(value.getDoubleValue());
      case ARRAY_VALUE -> value.getArrayValue().getValuesList().stream().map(OtlpDecoder::text).toList().toString();
      default -> "";
    };
  }

  /** Where one resource's points go: a sample each, with the resource's labels. */
  private record Points(String host, Map<String, String> common, long oldest, long newest, DecodedWrite.Builder out) {

    void number(String name, NumberDataPoint point) {
      double value = point.getValueCase() == NumberDataPoint.ValueCase.AS_INT ? point.getAsInt() : point.getAsDouble();
      add(name, labels(point.getAttributesList()), point.getTimeUnixNano(), point.getFlags(), value);
    }

    void histogram(String name, HistogramDataPoint point) {
      Map<String, String> labels = labels(point.getAttributesList());
      long cumulative = 0;
      for (int i = 0; i < point.getBucketCountsCount(); i++) {
        cumulative += point.getBucketCounts(i);
        Map<String, String> bucket = new TreeMap<>(labels);
        bucket.put("le", i < point.getExplicitBoundsCount() ? goFloat(point.getExplicitBounds(i)) : "+Inf");
        add(name + "_bucket", bucket, point.getTimeUnixNano(), point.getFlags(), cumulative);
      }
      if (point.getBucketCountsCount() <= point.getExplicitBoundsCount()) {
        Map<String, String> infinity = new TreeMap<>(labels);
        infinity.put("le", "+Inf");
        add(name + "_bucket", infinity, point.getTimeUnixNano(), point.getFlags(), point.getCount());
      }
      if (point.hasSum()) {
        add(name + "_sum", labels, point.getTimeUnixNano(), point.getFlags(), point.getSum());
      }
      add(name + "_count", labels, point.getTimeUnixNano(), point.getFlags(), point.getCount());
    }

    void summary(String name, SummaryDataPoint point) {
      Map<String, String> labels = labels(point.getAttributesList());
      for (SummaryDataPoint.ValueAtQuantile quantile : point.getQuantileValuesList()) {
        Map<String, String> withQuantile = new TreeMap<>(labels);
        withQuantile.put("quantile", goFloat(quantile.getQuantile()));
        add(name, withQuantile, point.getTimeUnixNano(), point.getFlags(), quantile.getValue());
      }
      add(name + "_sum", labels, point.getTimeUnixNano(), point.getFlags(), point.getSum());
      add(name + "_count", labels, point.getTimeUnixNano(), point.getFlags(), point.getCount());
    }

    void refused(String why, int points) {
      out.refusedSeries(why, points);
    }

    private Map<String, String> labels(List<KeyValue> attributes) {
      Map<String, String> labels = new TreeMap<>();
      attributes(attributes).forEach((key, value) -> {
        if (!value.isEmpty()) {
          labels.put(OtlpNames.label(key), value);
        }
      });
      labels.putAll(common);
      return labels;
    }

    private void add(String name, Map<String, String> labels, long timeNanos, int flags, double value) {
      long ts = timeNanos / 1_000_000;
      String tags = Tags.escaped(labels);
      if (name.isEmpty() || name.length() > SampleLimits.MAX_METRIC_CHARS || tags.length() > SampleLimits.MAX_TAGS_CHARS) {
        out.refusedSeries(name + ": a name or labels longer than nbnet's tables hold", 1);
      } else if (ts < oldest || ts > newest) {
        out.leftOut("out_of_bounds");
      } else {
        // a point without a recorded value ends its series there, as Prometheus's translation writes it
        out.sample(Sample.numeric(host, ts, name, tags, (flags & NO_RECORDED_VALUE) != 0 ? SpecialValues.STALE : value));
      }
    }

    /** A bound as Prometheus writes {@code le} and {@code quantile} (Go's {@code 'f', -1}): {@code 5}, {@code 0.25}, {@code 0.00001}. */
    private static String goFloat(double value) {
      return BigDecimal.valueOf(value).stripTrailingZeros().toPlainString();
    }
  }
}
