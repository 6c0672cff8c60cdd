package io.nbnet.launcher;

import io.nbnet.launcher.testing.LoggedPorts;
import io.nbnet.store.tables.HourBlock;
import io.nbnet.store.tables.Windows;
import io.nbnet.store.testing.TestDatabase;
import io.nbnet.support.testing.Await;
import io.vertx.core.Vertx;
import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import io.vertx.junit5.VertxExtension;
import io.vertx.sqlclient.Row;
import org.junit.jupiter.api.Assumptions;
import org.junit.jupiter.api.DisplayName;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;
import org.junit.jupiter.api.io.TempDir;
import org.openqa.selenium.By;
import org.openqa.selenium.JavascriptExecutor;
import org.openqa.selenium.OutputType;
import org.openqa.selenium.TakesScreenshot;
import org.openqa.selenium.WebElement;
import org.openqa.selenium.chrome.ChromeDriver;
import org.openqa.selenium.chrome.ChromeDriverService;
import org.openqa.selenium.chrome.ChromeOptions;

import java.io.File;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Objects;
import java.util.concurrent.TimeUnit;

import static org.awaitility.Awaitility.await;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * The dashboard in a real headless Chromium, served by a saver that a real collector feeds: the host
 * list shows this host reporting with a badge for its firing alert; the alerts view lists the firing
 * and the pending alert of the saver's rules; the host's page draws twelve charts over 24 hours (a
 * day of 5-minute rollups is written for its series first, so the charts have a day to draw).
 * Screenshots go to {@code target/dashboard-*.png}.
 */
@ExtendWith(VertxExtension.class)
class DashboardBrowserTest {

  private static final Path CHROMIUM = Path.of("/usr/bin/chromium");
  private static final Path CHROMEDRIVER = Path.of("/usr/bin/chromedriver");
  private static final String HOST = "browser-host";
  /** One alert that fires at once on the collector's samples, one that stays pending for an hour. */
  private static final String RULES = """
    groups:
      - name: browser
        interval: 1s
        rules:
          - alert: CollectorReports
            expr: cpu_count > 0
            annotations:
              summary: '{{ $labels.host }} counts {{ $value }} CPUs'
          - alert: SlowBurn
            expr: cpu_count > 0
            for: 1h
    """;

  @Test
  @DisplayName("the host list shows this host reporting, with its firing alert; the alerts view lists firing and pending; "
    + "its 24 h page draws 12 charts with points")
  void dashboardShowsTheFleet(Vertx vertx, @TempDir Path folder) throws Exception {
    Assumptions.assumeTrue(Files.isExecutable(CHROMIUM) && Files.isExecutable(CHROMEDRIVER),
      "no headless Chromium here: install the Debian packages chromium and chromium-driver (.ci/run does) to run the browser test");
    List<String> deployments = new ArrayList<>();
    ChromeDriver browser = null;
    try (TestDatabase database = new TestDatabase(vertx); LoggedPorts ports = LoggedPorts.capture()) {
      deployments.add(deploy(vertx, new JsonObject().put("components", new JsonArray().add("saver"))
        .put("saver", new JsonObject().put("host", "127.0.0.1").put("port", 0).put("mysql", database.mysqlConfig())
          .put("http", new JsonObject().put("port", 0))
          .put("rules", new JsonObject().put("evaluationDelayMs", 0)
            .put("files", new JsonArray().add(Files.writeString(folder.resolve("browser.yml"), RULES).toString()))))));
      int saverPort = ports.server("saver");
      int dashboardPort = ports.server("dashboard");
      deployments.add(deploy(vertx, new JsonObject().put("components", new JsonArray().add("collector"))
        .put("collector", new JsonObject().put("host", HOST).put("intervalMs", 1_000)
          .put("trans", new JsonObject().put("enabled", false).put("address", "127.0.0.1:1"))
          .put("saver", new JsonObject().put("address", "127.0.0.1:" + saverPort)))));
      database.awaitCount(2, 30_000, "SELECT COUNT(DISTINCT ts) FROM samples_recent r JOIN samples_series s USING (series_id)"
        + " WHERE s.metric = 'cpu.user'");
      seedDayOfRollups(database);

      browser = chromium();
      String base = "http://127.0.0.1:" + dashboardPort + "/";
      browser.get(base);
      ChromeDriver page = browser;
      WebElement row = await().atMost(30, TimeUnit.SECONDS).until(() -> page.findElements(
        By.cssSelector("tr[data-host='" + HOST + "'][data-status='reporting']")).stream().findFirst().orElse(null), Objects::nonNull);
      assertTrue(row.getText().contains("reporting"), row.getText());
      await().atMost(30, TimeUnit.SECONDS).until(() -> !page.findElements(
        By.cssSelector("tr[data-host='" + HOST + "'] a[data-alerts='firing']")).isEmpty());
      assertEquals("1 firing", page.findElement(By.cssSelector("tr[data-host='" + HOST + "'] a[data-alerts='firing']")).getText());
      screenshot(browser, "dashboard-hosts.png");

      browser.get(base + "#/alerts");
      WebElement firing = await().atMost(30, TimeUnit.SECONDS).until(() -> page.findElements(
        By.cssSelector("tr[data-alert='CollectorReports'][data-state='firing'][data-host='" + HOST + "']")).stream().findFirst()
        .orElse(null), Objects::nonNull);
      int cpus = Runtime.getRuntime().availableProcessors();
      assertTrue(firing.getText().contains(HOST + " counts " + cpus + " CPUs"), firing.getText());
      assertTrue(firing.getText().contains("cpu_count > 0"), "the rule's expression: " + firing.getText());
      assertEquals(1, page.findElements(By.cssSelector("tr[data-alert='SlowBurn'][data-state='pending']")).size(), "the pending alert");
      assertTrue(page.findElement(By.tagName("main")).getText().startsWith("1 firing, 1 pending, from 2 rules in 1 groups"),
        page.findElement(By.tagName("main")).getText());
      screenshot(browser, "dashboard-alerts.png");

      // a first visit warms the JIT and the buffer pool; the second is what an operator sees every day
      long coldMillis = chartsDrawnMillis(browser, base + "#/host/" + HOST + "/24h");
      long warmMillis = chartsDrawnMillis(browser, base + "#/host/" + HOST + "/24h");
      Object firstPaint = ((JavascriptExecutor) browser).executeScript(
        "const p = performance.getEntriesByName('first-contentful-paint')[0]; return p ? Math.round(p.startTime) : null;");
      String drawingMillis = browser.findElement(By.tagName("body")).getAttribute("data-drawing-ms");
      Object slowestQuery = ((JavascriptExecutor) browser).executeScript("return Math.round(Math.max(...performance.getEntriesByType('resource')"
        + ".filter(e => e.name.includes('/api/query')).map(e => e.duration)));");
      List<WebElement> charts = browser.findElements(By.cssSelector(".chart"));
      assertEquals(12, charts.size());
      long drawn = charts.stream().filter(chart -> !chart.findElements(By.tagName("canvas")).isEmpty()).count();
      int points = charts.stream().mapToInt(chart -> Integer.parseInt(chart.getAttribute("data-points") == null ? "0"
        : chart.getAttribute("data-points"))).sum();
      screenshot(browser, "dashboard-host-24h.png");
      System.out.printf("DashboardBrowserTest: host page, 12 charts over 24 h: drawn %d ms after navigation (first visit %d ms),"
        + " first contentful paint %s ms, its API query %s ms, drawing the charts %s ms,"
        + " %d charts with %d points%n", warmMillis, coldMillis, firstPaint, slowestQuery, drawingMillis, drawn, points);
      assertTrue(drawn >= 10, drawn + " charts drawn");
      assertTrue(points > 12 * 200, points + " points drawn");
    } finally {
      if (browser != null) {
        browser.quit();
      }
      for (String deployment : deployments) {
        Await.result(vertx.undeploy(deployment), 60);
      }
    }
  }

  /** Loads a page afresh and waits for its charts; the page notes when they were all drawn. */
  private static long chartsDrawnMillis(ChromeDriver browser, String url) {
    browser.get("about:blank");
    browser.get(url);
    String drawn = await().atMost(30, TimeUnit.SECONDS).until(() -> browser.findElement(By.tagName("body"))
      .getAttribute("data-charts-drawn-ms"), Objects::nonNull);
    return Long.parseLong(drawn);
  }

  /** The 24 hours before this one as 5-minute rollups of every series of the host: a day the 24 h page reads from the 5-minute tier. */
  private static void seedDayOfRollups(TestDatabase database) {
    long firstHour = Windows.hourOf(System.currentTimeMillis()) - 24 * Windows.HOUR_MILLIS;
    List<Row> series = database.query("SELECT s.series_id FROM samples_series s JOIN samples_hosts h USING (host_id) WHERE h.host = ?", HOST);
    for (int hour = 0; hour < 24; hour++) {
      List<Object> params = new ArrayList<>();
      StringBuilder sql = new StringBuilder("INSERT INTO samples_rollup_5m (hour, series_id, buckets) VALUES ");
      for (Row row : series) {
        double[][] buckets = new double[HourBlock.BUCKETS][];
        for (int w = 0; w < buckets.length; w++) {
          double avg = 40 + 30 * Math.sin((hour * 12 + w) / 20.0) + row.getInteger(0) % 7;
          buckets[w] = new double[] {avg - 5, avg + 5, avg * 30, 30, avg};
        }
        sql.append(params.isEmpty() ? "(?, ?, ?)" : ", (?, ?, ?)");
        params.add(firstHour + hour * Windows.HOUR_MILLIS);
        params.add(row.getInteger(0));
        params.add(HourBlock.encode(buckets));
      }
      database.query(sql.toString(), params.toArray());
    }
  }

  private static ChromeDriver chromium() {
    ChromeOptions options = new ChromeOptions();
    options.setBinary(CHROMIUM.toFile());
    // --no-sandbox: CI runs as root, where Chromium's sandbox cannot start
    options.addArguments("--headless=new", "--no-sandbox", "--disable-gpu", "--disable-dev-shm-usage", "--window-size=1400,1100");
    ChromeDriverService service = new ChromeDriverService.Builder().usingDriverExecutable(CHROMEDRIVER.toFile()).usingAnyFreePort().build();
    return new ChromeDriver(service, options);
  }

  private static void screenshot(ChromeDriver browser, String name) throws Exception {
    File shot = ((TakesScreenshot) browser).getScreenshotAs(OutputType.FILE);
    Path target = Path.of("target", name);
    Files.createDirectories(target.getParent());
    Files.copy(shot.toPath(), target, java.nio.file.StandardCopyOption.REPLACE_EXISTING);
  }

  private static String deploy(Vertx vertx, JsonObject config) throws Exception {
    return Await.result(vertx.deployVerticle(new NbnetVerticle(NbnetConfig.parse(config))), 60);
  }

}
