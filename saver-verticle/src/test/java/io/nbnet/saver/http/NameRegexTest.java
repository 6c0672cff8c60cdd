package io.nbnet.saver.http;

import io.nbnet.formats.Sample;
import io.nbnet.formats.nb1.NativeFormat;
import io.nbnet.saver.SaverConfig;
import io.nbnet.saver.SaverVerticle;
import io.nbnet.store.testing.TestDatabase;
import io.nbnet.support.config.Section;
import io.nbnet.support.testing.Await;
import io.nbnet.wire.testing.RawFrameSocket;
import io.vertx.core.Vertx;
import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import io.vertx.junit5.VertxExtension;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.DisplayName;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;

import java.net.URI;
import java.net.URLEncoder;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * A selector with a regular expression on {@code __name__} ({@code {__name__=~"disk_(read|write)_await_ms"}},
 * as the shipped disk rule writes one) reads only the series of the names it matches, so it answers on a
 * host with more series than {@code http.maxSeries}; one that matches more than that is still refused.
 */
@ExtendWith(VertxExtension.class)
class NameRegexTest {

  private static final HttpClient http = HttpClient.newBuilder().version(HttpClient.Version.HTTP_1_1).build();
  private static final int MAX_SERIES = 10;
  private TestDatabase database;

  @AfterEach
  void drop() {
    database.close();
  }

  @Test
  @DisplayName("a regular expression on the name narrows the series read; one matching too many is refused with 422")
  void nameRegexNarrows(Vertx vertx) throws Exception {
    database = new TestDatabase(vertx);
    SaverVerticle saver = new SaverVerticle(Section.parse(new JsonObject().put("host", "127.0.0.1").put("port", 0)
      .put("mysql", database.mysqlConfig()).put("http", new JsonObject().put("port", 0).put("maxSeries", MAX_SERIES)), "saver",
      SaverConfig::from));
    Await.result(vertx.deployVerticle(saver), 60);
    long now = System.currentTimeMillis();
    List<Sample> samples = new ArrayList<>(List.of(Sample.numeric("db-1", now, "disk.read_await_ms", "device=sda", 120),
      Sample.numeric("db-1", now, "disk.write_await_ms", "device=sda", 80)));
    for (int n = 0; n < MAX_SERIES + 2; n++) {
      samples.add(Sample.numeric("db-1", now, "app.extra_" + n, "", n));
    }
    try (RawFrameSocket socket = new RawFrameSocket(saver.actualPort())) {
      String reply = socket.request(NativeFormat.encode("db-1", 1, samples).toString(StandardCharsets.UTF_8));
      assertTrue(reply.startsWith("OK"), reply);
    }
    HttpResponse<String> disks = query(saver.apiPort(), "max by (host, device) ({__name__=~\"disk_(read|write)_await_ms\"})");
    assertEquals(200, disks.statusCode(), disks.body());
    JsonArray result = new JsonObject(disks.body()).getJsonObject("data").getJsonArray("result");
    assertEquals("120", result.getJsonObject(0).getJsonArray("value").getString(1), result.encode());

    HttpResponse<String> all = query(saver.apiPort(), "{__name__=~\".+\"}");
    assertEquals(422, all.statusCode(), all.body());
    assertTrue(all.body().contains("more than " + MAX_SERIES + " series"), all.body());
  }

  private static HttpResponse<String> query(int port, String query) throws Exception {
    return http.send(HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + port + "/api/v1/query?query="
      + URLEncoder.encode(query, StandardCharsets.UTF_8) + "&time=" + System.currentTimeMillis() / 1000.0)).build(),
      HttpResponse.BodyHandlers.ofString());
  }
}
