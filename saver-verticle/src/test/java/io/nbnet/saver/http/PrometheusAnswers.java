package io.nbnet.saver.http;

import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;

import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Set;

/**
 * The same query API request asked of the real Prometheus and of nbnet, the answers compared: the same
 * status, result type, series (labels but {@code ignoredLabels}, which only nbnet has), timestamps, and
 * values equal within 1e-9 relative or 1e-12 absolute.
 */
public final class PrometheusAnswers {

  private static final HttpClient http = HttpClient.newBuilder().version(HttpClient.Version.HTTP_1_1).build();

  private final int prometheusPort;
  private final int nbnetPort;
  private final Set<String> ignoredLabels;

  public PrometheusAnswers(int prometheusPort, int nbnetPort, Set<String> ignoredLabels) {
    this.prometheusPort = prometheusPort;
    this.nbnetPort = nbnetPort;
    this.ignoredLabels = ignoredLabels;
  }

  /** The values compared; a mismatch is described in {@code mismatches}. */
  public int compare(String what, String path, List<String> mismatches) throws Exception {
    HttpResponse<String> theirs = get(prometheusPort, path);
    HttpResponse<String> ours = get(nbnetPort, path);
    if (theirs.statusCode() != ours.statusCode()) {
      mismatches.add(what + ": status " + ours.statusCode() + " where Prometheus answers " + theirs.statusCode() + ": " + ours.body());
      return 0;
    }
    if (theirs.statusCode() != 200) {
      return 0;
    }
    JsonObject want = new JsonObject(theirs.body()).getJsonObject("data");
    JsonObject got = new JsonObject(ours.body()).getJsonObject("data");
    if (!want.getString("resultType").equals(got.getString("resultType"))) {
      mismatches.add(what + ": " + got.getString("resultType") + " where Prometheus answers " + want.getString("resultType"));
      return 0;
    }
    if (want.getValue("result") instanceof JsonArray wantPoint && want.getString("resultType").equals("scalar")) {
      return comparePoint(what, wantPoint, got.getJsonArray("result"), mismatches) ? 1 : 0;
    }
    List<JsonObject> wantSeries = sorted(want.getJsonArray("result"));
    List<JsonObject> gotSeries = sorted(got.getJsonArray("result"));
    if (wantSeries.size() != gotSeries.size()) {
      mismatches.add(what + ": " + gotSeries.size() + " series where Prometheus answers " + wantSeries.size());
      return 0;
    }
    int compared = 0;
    for (int i = 0; i < wantSeries.size(); i++) {
      JsonObject a = wantSeries.get(i);
      JsonObject b = gotSeries.get(i);
      if (!a.getJsonObject("metric").equals(b.getJsonObject("metric"))) {
        mismatches.add(what + ": series " + b.getJsonObject("metric") + " where Prometheus answers " + a.getJsonObject("metric"));
        continue;
      }
      JsonArray wantPoints = a.containsKey("values") ? a.getJsonArray("values") : new JsonArray().add(a.getJsonArray("value"));
      JsonArray gotPoints = b.containsKey("values") ? b.getJsonArray("values") : new JsonArray().add(b.getJsonArray("value"));
      if (wantPoints.size() != gotPoints.size()) {
        mismatches.add(what + ": " + a.getJsonObject("metric") + " has " + gotPoints.size() + " points where Prometheus has " + wantPoints.size());
        continue;
      }
      for (int p = 0; p < wantPoints.size(); p++) {
        if (!comparePoint(what + " " + a.getJsonObject("metric"), wantPoints.getJsonArray(p), gotPoints.getJsonArray(p), mismatches)) {
          break;
        }
        compared++;
      }
    }
    return compared;
  }

  private static boolean comparePoint(String what, JsonArray want, JsonArray got, List<String> mismatches) {
    if (!want.getValue(0).toString().equals(got.getValue(0).toString())) {
      mismatches.add(what + ": time " + got.getValue(0) + " where Prometheus has " + want.getValue(0));
      return false;
    }
    double a = Double.parseDouble(want.getString(1).replace("+Inf", "Infinity").replace("-Inf", "-Infinity"));
    double b = Double.parseDouble(got.getString(1).replace("+Inf", "Infinity").replace("-Inf", "-Infinity"));
    boolean equal = Double.isNaN(a) ? Double.isNaN(b) : a == b || Math.abs(a - b) <= 1e-12 || Math.abs(a - b) <= 1e-9 * Math.abs(a);
    if (!equal) {
      mismatches.add(what + " at " + want.getValue(0) + ": " + got.getString(1) + " where Prometheus has " + want.getString(1));
    }
    return equal;
  }

  /** The series of a result, the ignored labels taken off, in label order. */
  private List<JsonObject> sorted(JsonArray series) {
    List<JsonObject> list = new ArrayList<>();
    for (Object item : series) {
      JsonObject one = item instanceof JsonObject json ? json.copy() : new JsonObject(asMap(item));
      ignoredLabels.forEach(one.getJsonObject("metric")::remove);
      list.add(one);
    }
    list.sort((x, y) -> x.getJsonObject("metric").encode().compareTo(y.getJsonObject("metric").encode()));
    return list;
  }

  @SuppressWarnings("unchecked")
  private static Map<String, Object> asMap(Object o) {
    return (Map<String, Object>) o;
  }

  public static HttpResponse<String> get(int port, String path) throws Exception {
    return http.send(HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + port + path)).timeout(Duration.ofSeconds(60)).build(),
      HttpResponse.BodyHandlers.ofString());
  }
}
