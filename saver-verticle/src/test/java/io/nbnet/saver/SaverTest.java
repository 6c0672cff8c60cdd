package io.nbnet.saver;

import io.nbnet.formats.Sample;
import io.nbnet.formats.Tags;
import io.nbnet.formats.nb1.NativeFormat;
import io.nbnet.store.legacy.LegacyTableRule;
import io.nbnet.store.testing.TestDatabase;
import io.nbnet.support.config.Section;
import io.nbnet.wire.testing.RawFrameSocket;
import io.vertx.core.Vertx;
import io.vertx.core.json.JsonObject;
import io.vertx.junit5.VertxExtension;
import io.vertx.sqlclient.Row;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.DisplayName;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;

import java.net.Socket;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;
import java.util.stream.Stream;

import static org.awaitility.Awaitility.await;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** The saver against a real MariaDB, spoken to over real sockets. */
@ExtendWith(VertxExtension.class)
class SaverTest {

  private static final int MAX_FRAME = 64 * 1024;
  private static final int SERIES_PER_HOST = 1_000;
  private static TestDatabase database;
  private static int port;

  @BeforeAll
  static void deploySaver(Vertx vertx) throws Exception {
    database = new TestDatabase(vertx);
    JsonObject config = new JsonObject()
      .put("host", "127.0.0.1").put("port", 0)
      .put("maxFrameBytes", MAX_FRAME).put("idleTimeoutMs", 500)
      .put("mysql", database.mysqlConfig()).put("http", new JsonObject().put("port", 0))
      .put("limits", new JsonObject().put("maxSeriesPerHost", SERIES_PER_HOST));
    SaverVerticle saver = new SaverVerticle(Section.parse(config, "saver", SaverConfig::from));
    vertx.deployVerticle(saver).toCompletionStage().toCompletableFuture().get(60, TimeUnit.SECONDS);
    port = saver.actualPort();
  }

  @AfterAll
  static void dropDatabase() {
    database.close();
  }

  static String legacyFrame(String host) {
    return new JsonObject().put("MemTotal", 15888).put("MemUsage", 2920).put("MemFree", 12967).put("UD_eth11", "4324")
      .put("Host", host).put("LoadAvg", 0.15).put("Time", 1449815928).put("UD_eth2", "432321").put("UD_eth1", "10").encode();
  }

  @Test
  @DisplayName("legacy frames land in the stat_N table the legacy rule names, every column as specified")
  void storesLegacyFrames() throws Exception {
    List<String> hosts = List.of("host1", "host2", "host3", "host4", "host5", "teach.works");
    List<Integer> expectedTables = List.of(0, 3, 2, 1, 0, 2);
    try (RawFrameSocket socket = new RawFrameSocket(port)) {
      for (String host : hosts) {
        assertEquals("OK", socket.request(legacyFrame(host)));
      }
    }
    for (int i = 0; i < hosts.size(); i++) {
      String host = hosts.get(i);
      int table = expectedTables.get(i);
      assertEquals(table, LegacyTableRule.tableIndex(host, 4));
      List<Row> rows = database.query("SELECT * FROM stat_" + table + " WHERE host = ?", host);
      assertEquals(1, rows.size(), host + " in stat_" + table);
      Row row = rows.get(0);
      assertEquals(12967, row.getInteger("mem_free"));
      assertEquals(2920, row.getInteger("mem_usage"));
      assertEquals(15888, row.getInteger("mem_total"));
      assertEquals("0.15", row.getString("load_avg"));
      assertEquals(1449815928L, row.getLong("time"));
      assertEquals(new JsonObject().put("UD_eth11", "4324").put("UD_eth2", "432321").put("UD_eth1", "10"),
        new JsonObject(row.getString("user_define")));
      for (int other = 0; other < 4; other++) {
        if (other != table) {
          assertEquals(0, database.count("SELECT COUNT(*) FROM stat_" + other + " WHERE host = ?", host));
        }
      }
    }
  }

  @Test
  @DisplayName("a legacy frame sent again with the same Host and Time is stored once")
  void storesReplayedLegacyFrameOnce() throws Exception {
    try (RawFrameSocket socket = new RawFrameSocket(port)) {
      assertEquals("OK", socket.request(legacyFrame("replayed-host")));
      assertEquals("OK", socket.request(legacyFrame("replayed-host")));
    }
    int table = LegacyTableRule.tableIndex("replayed-host", 4);
    assertEquals(1, database.count("SELECT COUNT(*) FROM stat_" + table + " WHERE host = 'replayed-host'"));
  }

  @Test
  @DisplayName("a legacy frame without UD_ keys stores an empty object; missing memory fields are NULL")
  void storesSparseLegacyFrame() throws Exception {
    try (RawFrameSocket socket = new RawFrameSocket(port)) {
      assertEquals("OK", socket.request("{\"Host\": \"sparse-host\", \"Time\": 5}"));
    }
    int table = LegacyTableRule.tableIndex("sparse-host", 4);
    Row row = database.query("SELECT * FROM stat_" + table + " WHERE host = 'sparse-host'").get(0);
    assertEquals("{}", row.getString("user_define"));
    assertNull(row.getInteger("mem_total"));
    assertEquals(5L, row.getLong("time"));
  }

  static Stream<Arguments> badInputs() {
    String hostile = "x'); DROP TABLE stat_0; --";
    return Stream.of(
      Arguments.of("non-digit header", "00000abc10" + "{\"Host\":1}", "ERR protocol: frame header is not 10 ASCII digits"),
      Arguments.of("length 0", "0000000000", "ERR protocol: frame length is 0"),
      Arguments.of("length over the maximum", String.format("%010d", MAX_FRAME + 1), "ERR protocol: frame length " + (MAX_FRAME + 1)),
      Arguments.of("invalid JSON", RawFrameSocket.frame("{\"Host\": \"a\", "), "ERR invalid: legacy frame: invalid JSON"),
      Arguments.of("JSON without Host", RawFrameSocket.frame("{\"Time\": 1449815928}"), "ERR invalid: legacy frame: \"Host\" must be"),
      Arguments.of("neither format", RawFrameSocket.frame("hello"), "ERR invalid: payload is neither"),
      Arguments.of("half a frame, then silence", "0000000100{\"Host\": \"half", "ERR protocol: incomplete frame"),
      Arguments.of("hostile host name", RawFrameSocket.frame(legacyFrame(hostile)), "OK"));
  }

  @ParameterizedTest(name = "{0}")
  @MethodSource("badInputs")
  @DisplayName("bad input gets a clear error and a closed connection; a valid frame on a new connection is still stored")
  void survivesBadInput(String name, String bytes, String expectedReply) throws Exception {
    try (RawFrameSocket socket = new RawFrameSocket(port)) {
      socket.sendRaw(bytes);
      String reply = socket.readReply();
      assertTrue(reply.startsWith(expectedReply), () -> "reply to " + name + ": " + reply);
      if (!reply.equals("OK")) {
        assertTrue(socket.closedByPeer(), name + " should close the connection");
      }
    }
    String after = "after-" + name.replaceAll("\\W", "-");
    try (RawFrameSocket socket = new RawFrameSocket(port)) {
      assertEquals("OK", socket.request(legacyFrame(after)));
    }
    assertEquals(1, database.count("SELECT COUNT(*) FROM stat_" + LegacyTableRule.tableIndex(after, 4) + " WHERE host = ?", after));
    if (name.equals("hostile host name")) {
      String hostile = "x'); DROP TABLE stat_0; --";
      int table = LegacyTableRule.tableIndex(hostile, 4);
      assertEquals(1, database.count("SELECT COUNT(*) FROM stat_" + table + " WHERE host = ?", hostile));
      assertEquals(4, database.count("SELECT COUNT(*) FROM information_schema.tables WHERE table_schema = ? AND table_name LIKE 'stat\\_%'", database.name()));
    }
  }

  @Test
  @DisplayName("native frames are stored and readable through samples_all; a replayed frame adds no rows")
  void storesNativeFramesOnce() throws Exception {
    List<Sample> samples = List.of(
      Sample.numeric("native-1", 1_700_000_000_000L, "cpu.user", Tags.NONE, 12.5),
      Sample.numeric("native-1", 1_700_000_000_000L, "mem.used_bytes", Tags.NONE, 1024),
      Sample.numeric("native-1", 1_700_000_000_000L, "disk.reads_per_s", Tags.of("device", "sda"), 3),
      Sample.numeric("native-1", 1_700_000_000_000L, "net.rx_bytes_per_s", Tags.of("iface", "eth0"), 99),
      Sample.text("native-1", 1_700_000_000_000L, "plugin.state", Tags.NONE, "degraded"));
    String frame = NativeFormat.encode("test-source", 1, samples).toString(StandardCharsets.UTF_8);
    try (RawFrameSocket socket = new RawFrameSocket(port)) {
      assertEquals("OK 5", socket.request(frame));
      assertEquals("OK 5", socket.request(frame));
    }
    assertEquals(5, database.count("SELECT COUNT(*) FROM samples_all WHERE host = 'native-1'"));
    await().atMost(10, TimeUnit.SECONDS).until(() -> database.count("SELECT last_ts FROM samples_hosts WHERE host = 'native-1'")
      == 1_700_000_000_000L);
    Row cpu = database.query("SELECT * FROM samples_all WHERE host = 'native-1' AND metric = 'cpu.user'").get(0);
    assertEquals(12.5, cpu.getDouble("value"));
    assertEquals(1_700_000_000_000L, cpu.getLong("ts"));
    Row text = database.query("SELECT * FROM samples_all WHERE host = 'native-1' AND metric = 'plugin.state'").get(0);
    assertNull(text.getDouble("value"));
    assertEquals("degraded", text.getString("text_value"));
    assertEquals("device=sda", database.query("SELECT tags FROM samples_all WHERE metric = 'disk.reads_per_s' AND host = 'native-1'")
      .get(0).getString("tags"));
  }

  @Test
  @DisplayName("a different value for a stored key is answered OK with its count of conflicts; the stored value is kept")
  void reportsConflicts() throws Exception {
    List<Sample> first = List.of(
      Sample.numeric("conflict-1", 1_700_000_000_000L, "cpu.user", Tags.NONE, 12.5),
      Sample.numeric("conflict-1", 1_700_000_000_000L, "cpu.idle", Tags.NONE, 80),
      Sample.text("conflict-1", 1_700_000_000_000L, "plugin.state", Tags.NONE, "ok"));
    List<Sample> second = List.of(
      Sample.numeric("conflict-1", 1_700_000_000_000L, "cpu.user", Tags.NONE, 99),
      Sample.numeric("conflict-1", 1_700_000_000_000L, "cpu.idle", Tags.NONE, 80),
      Sample.text("conflict-1", 1_700_000_000_000L, "plugin.state", Tags.NONE, "degraded"),
      Sample.numeric("conflict-1", 1_700_000_010_000L, "cpu.user", Tags.NONE, 1));
    try (RawFrameSocket socket = new RawFrameSocket(port)) {
      assertEquals("OK 3", socket.request(NativeFormat.encode("s", 1, first).toString(StandardCharsets.UTF_8)));
      assertEquals("OK 3", socket.request(NativeFormat.encode("s", 1, first).toString(StandardCharsets.UTF_8)), "a replay is no conflict");
      assertEquals("OK 4 conflicts=2", socket.request(NativeFormat.encode("s", 2, second).toString(StandardCharsets.UTF_8)));
    }
    assertEquals(12.5, database.query("SELECT value FROM samples_all WHERE host = 'conflict-1' AND metric = 'cpu.user' AND ts = ?",
      1_700_000_000_000L).get(0).getDouble(0));
    assertEquals("ok", database.query("SELECT text_value FROM samples_all WHERE host = 'conflict-1' AND metric = 'plugin.state'")
      .get(0).getString(0));
    assertEquals(4, database.count("SELECT COUNT(*) FROM samples_all WHERE host = 'conflict-1'"));
  }

  @Test
  @DisplayName("host names that differ only in case or trailing spaces are different hosts (binary NO PAD keys)")
  void keepsHostsApart() throws Exception {
    try (RawFrameSocket socket = new RawFrameSocket(port)) {
      for (String host : List.of("pad-host", "pad-host ", "PAD-HOST")) {
        List<Sample> samples = List.of(Sample.numeric(host, 1_700_000_000_000L, "x.a", Tags.NONE, host.length()),
          Sample.numeric(host, 1_700_000_000_000L, "x.a ", Tags.NONE, -host.length()));
        assertEquals("OK 2", socket.request(NativeFormat.encode("s", 1, samples).toString(StandardCharsets.UTF_8)));
      }
      for (String host : List.of("WEB1", "web1 ", "web1")) {
        assertEquals("OK", socket.request(new JsonObject().put("Host", host).put("Time", 1449815928).put("MemFree", 1).encode()));
      }
    }
    assertEquals(6, database.count("SELECT COUNT(*) FROM samples_all WHERE host IN ('pad-host', 'pad-host ', 'PAD-HOST')"));
    long legacyRows = 0;
    for (int table = 0; table < 4; table++) {
      legacyRows += database.count("SELECT COUNT(*) FROM stat_" + table + " WHERE host IN ('WEB1', 'web1 ', 'web1')");
    }
    assertEquals(3, legacyRows, "three legacy hosts, three rows");
  }

  @Test
  @DisplayName("a frame whose new series would pass a limit is refused whole, naming the limit, on a connection that stays open")
  void refusesAFramePastASeriesLimit() throws Exception {
    List<Sample> samples = new ArrayList<>();
    samples.add(Sample.numeric("modest-host", 1_700_000_000_000L, "cpu.user", Tags.NONE, 1));
    for (int i = 0; i <= SERIES_PER_HOST; i++) {
      samples.add(Sample.numeric("greedy-host", 1_700_000_000_000L, "app.metric_" + i, Tags.NONE, i));
    }
    try (RawFrameSocket socket = new RawFrameSocket(port)) {
      String reply = socket.request(NativeFormat.encode("s", 1, samples).toString(StandardCharsets.UTF_8));
      assertTrue(reply.startsWith("ERR refused: host greedy-host has 0 series and this would add 1001: past saver.limits.maxSeriesPerHost (1000)"),
        reply);
      assertEquals(0, database.count("SELECT COUNT(*) FROM samples_all WHERE host IN ('modest-host', 'greedy-host')"), "nothing of it stored");
      assertEquals("OK 1", socket.request(NativeFormat.encode("s", 2, samples.subList(0, 1)).toString(StandardCharsets.UTF_8)));
    }
    assertEquals(1, database.count("SELECT COUNT(*) FROM samples_all WHERE host = 'modest-host'"));
  }

  @Test
  @DisplayName("a native frame with a sample a day ahead of the saver's clock is refused whole, naming it; the connection serves on")
  void refusesTimesFromTheFuture() throws Exception {
    long now = System.currentTimeMillis();
    List<Sample> samples = List.of(Sample.numeric("clock-host", now, "cpu.user", Tags.NONE, 1),
      Sample.numeric("clock-host", now + 86_400_000L, "cpu.user", Tags.NONE, 2));
    try (RawFrameSocket socket = new RawFrameSocket(port)) {
      String reply = socket.request(NativeFormat.encode("s", 1, samples).toString(StandardCharsets.UTF_8));
      assertTrue(reply.startsWith("ERR refused: 1 samples lie outside the times this saver takes (more than saver.limits.maxFutureMs (600000)"
        + " ahead of its clock): the first of host clock-host at "), reply);
      assertEquals("OK 1", socket.request(NativeFormat.encode("s", 2, samples.subList(0, 1)).toString(StandardCharsets.UTF_8)));
    }
    assertEquals(1, database.count("SELECT COUNT(*) FROM samples_all WHERE host = 'clock-host'"));
  }

  @Test
  @DisplayName("a native frame with bytes that are not UTF-8 is refused, naming the line, nothing stored")
  void refusesInvalidUtf8() throws Exception {
    byte[] bad = "NB1\ts\t1\nutf8-host\u00ff\t1\tcpu.user\t\t1\n".getBytes(StandardCharsets.ISO_8859_1);
    try (Socket socket = new Socket("127.0.0.1", port)) {
      socket.getOutputStream().write(String.format("%010d", bad.length).getBytes(StandardCharsets.US_ASCII));
      socket.getOutputStream().write(bad);
      byte[] header = socket.getInputStream().readNBytes(10);
      String reply = new String(socket.getInputStream().readNBytes(Integer.parseInt(new String(header, StandardCharsets.US_ASCII))),
        StandardCharsets.UTF_8);
      assertEquals("ERR invalid: native frame line 2: not valid UTF-8", reply);
    }
    assertEquals(0, database.count("SELECT COUNT(*) FROM samples_all WHERE host LIKE 'utf8-host%'"));
  }

  @Test
  @DisplayName("a malformed native frame is refused with the line at fault, nothing of it stored")
  void refusesMalformedNative() throws Exception {
    try (RawFrameSocket socket = new RawFrameSocket(port)) {
      String reply = socket.request("NB1\ts\t1\nbroken-native\t1\tcpu.user\t\t1\nbroken-native\t1\tcpu.idle\n");
      assertEquals("ERR invalid: native frame line 3: expected 5 tab-separated fields, got 3", reply);
      assertTrue(socket.closedByPeer());
    }
    assertEquals(0, database.count("SELECT COUNT(*) FROM samples_all WHERE host = 'broken-native'"));
  }
}
