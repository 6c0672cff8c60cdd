package io.nbnet.saver.http;

import io.nbnet.saver.SaverConfig;
import io.nbnet.saver.SaverVerticle;
import io.nbnet.store.testing.TestDatabase;
import io.nbnet.support.config.Section;
import io.nbnet.support.testing.Await;
import io.opentelemetry.api.common.AttributeKey;
import io.opentelemetry.api.common.Attributes;
import io.opentelemetry.api.metrics.DoubleHistogram;
import io.opentelemetry.api.metrics.LongCounter;
import io.opentelemetry.api.metrics.Meter;
import io.opentelemetry.exporter.otlp.http.metrics.OtlpHttpMetricExporter;
import io.opentelemetry.sdk.common.CompletableResultCode;
import io.opentelemetry.sdk.metrics.SdkMeterProvider;
import io.opentelemetry.sdk.metrics.export.PeriodicMetricReader;
import io.opentelemetry.sdk.resources.Resource;
import io.vertx.core.Vertx;
import io.vertx.core.json.JsonObject;
import io.vertx.junit5.VertxExtension;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.DisplayName;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;

import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Duration;
import java.util.concurrent.TimeUnit;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * The official OpenTelemetry Java SDK exports a counter, a gauge and a histogram through its OTLP/HTTP
 * exporter (protobuf) to the saver's {@code /v1/metrics}, with the API's token: stored with the host,
 * names and labels the README's translation table gives; an OTLP/JSON body is taken as well.
 */
@ExtendWith(VertxExtension.class)
class OtlpSdkTest {

  private static final String TOKEN = "otlp-s3cret";
  private TestDatabase database;

  @AfterEach
  void dropDatabase() {
    database.close();
  }

  @Test
  @DisplayName("the SDK's counter, gauge and histogram are stored under the translated names, host from host.name, job from service.name")
  void sdkExportIsStored(Vertx vertx) throws Exception {
    database = new TestDatabase(vertx);
    JsonObject config = new JsonObject().put("host", "127.0.0.1").put("port", 0).put("mysql", database.mysqlConfig())
      .put("http", new JsonObject().put("port", 0).put("token", TOKEN));
    SaverVerticle saver = new SaverVerticle(Section.parse(config, "saver", SaverConfig::from));
    Await.result(vertx.deployVerticle(saver), 60);
    String endpoint = "http://127.0.0.1:" + saver.apiPort() + "/v1/metrics";

    OtlpHttpMetricExporter exporter = OtlpHttpMetricExporter.builder().setEndpoint(endpoint).addHeader("Authorization", "Bearer " + TOKEN)
      .build();
    SdkMeterProvider provider = SdkMeterProvider.builder()
      .setResource(Resource.create(Attributes.of(AttributeKey.stringKey("host.name"), "otel-host", AttributeKey.stringKey("service.name"),
        "checkout")))
      .registerMetricReader(PeriodicMetricReader.builder(exporter).setInterval(Duration.ofHours(1)).build())
      .build();
    try {
      Meter meter = provider.get("nbnet-test");
      LongCounter orders = meter.counterBuilder("orders.placed").setUnit("{order}").build();
      orders.add(5, Attributes.of(AttributeKey.stringKey("region"), "eu"));
      meter.gaugeBuilder("queue.utilization").setUnit("1").buildWithCallback(gauge -> gauge.record(0.25));
      DoubleHistogram durations = meter.histogramBuilder("request.duration").setUnit("ms").build();
      durations.record(12);
      durations.record(700);
      CompletableResultCode flushed = provider.forceFlush().join(30, TimeUnit.SECONDS);
      assertTrue(flushed.isSuccess(), "the exporter saw no error");
    } finally {
      provider.shutdown().join(30, TimeUnit.SECONDS);
    }
    assertEquals(5, value("orders_placed_total", "job=checkout,region=eu"));
    assertEquals(0.25, value("queue_utilization_ratio", "job=checkout"));
    assertEquals(2, value("request_duration_milliseconds_count", "job=checkout"));
    assertEquals(712, value("request_duration_milliseconds_sum", "job=checkout"));
    assertEquals(1, value("request_duration_milliseconds_bucket", "job=checkout,le=25"));
    assertEquals(2, value("request_duration_milliseconds_bucket", "job=checkout,le=+Inf"));

    HttpClient http = HttpClient.newBuilder().version(HttpClient.Version.HTTP_1_1).build();
    HttpResponse<String> json = http.send(HttpRequest.newBuilder(URI.create(endpoint)).header("Content-Type", "application/json")
      .header("Authorization", "Bearer " + TOKEN).POST(HttpRequest.BodyPublishers.ofString("""
        {"resourceMetrics": [{"resource": {"attributes": [{"key": "host.name", "value": {"stringValue": "json-host"}}]},
          "scopeMetrics": [{"metrics": [{"name": "temperature", "unit": "Cel", "gauge": {"dataPoints": [
            {"timeUnixNano": "%d", "asDouble": 21.5}]}}]}]}]}
        """.formatted(System.currentTimeMillis() * 1_000_000L))).build(), HttpResponse.BodyHandlers.ofString());
    assertEquals(200, json.statusCode(), json.body());
    assertEquals("{}", json.body());
    assertEquals(21.5, database.query("SELECT value FROM samples_all WHERE host = 'json-host' AND metric = 'temperature_celsius'").get(0)
      .getDouble(0));
    HttpResponse<String> noToken = http.send(HttpRequest.newBuilder(URI.create(endpoint)).header("Content-Type", "application/json")
      .POST(HttpRequest.BodyPublishers.ofString("{}")).build(), HttpResponse.BodyHandlers.ofString());
    assertEquals(401, noToken.statusCode());
    HttpResponse<String> bad = http.send(HttpRequest.newBuilder(URI.create(endpoint)).header("Content-Type", "application/json")
      .header("Authorization", "Bearer " + TOKEN).POST(HttpRequest.BodyPublishers.ofString("[not otlp]")).build(),
      HttpResponse.BodyHandlers.ofString());
    assertEquals(400, bad.statusCode());
    assertEquals(3, new JsonObject(bad.body()).getInteger("code"), "google.rpc.Status INVALID_ARGUMENT");
  }

  private double value(String metric, String tags) {
    return database.query("SELECT value FROM samples_all WHERE host = 'otel-host' AND metric = ? AND tags = ?", metric, tags).get(0)
      .getDouble(0);
  }
}
