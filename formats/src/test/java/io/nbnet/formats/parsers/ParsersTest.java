package io.nbnet.formats.parsers;

import io.nbnet.formats.Sample;
import org.junit.jupiter.api.DisplayName;
import org.junit.jupiter.api.Test;

import java.util.List;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

class ParsersTest {

  private static final long NOW = 1_700_000_000_000L;
  private static final SampleDefaults HOST_H = new SampleDefaults("h", NOW);

  @Test
  @DisplayName("legacy key:val lines become UD_<key> text samples, as the old agent stored them")
  void parsesKeyValue() {
    ParsedSamples out = new KeyValueParser().parse("eth1:10\neth2: 432321\n\nno colon here\n", HOST_H);
    assertEquals(List.of(Sample.text("h", NOW, "UD_eth1", "", "10"), Sample.text("h", NOW, "UD_eth2", "", "432321")), out.samples());
    assertEquals(1, out.badParts());
    assertEquals("expected key:value in line 4 \"no colon here\"", out.firstProblem().orElseThrow());
  }

  @Test
  @DisplayName("'name value [timestamp]' lines, the timestamp in epoch seconds")
  void parsesGraphite() {
    ParsedSamples out = new GraphiteParser().parse("queue.depth 42\n# comment\nqueue.age 1.5 1700000100\nbroken line here too\nx NaN\n", HOST_H);
    assertEquals(List.of(Sample.numeric("h", NOW, "queue.depth", "", 42), Sample.numeric("h", 1_700_000_100_000L, "queue.age", "", 1.5)),
      out.samples());
    assertEquals(2, out.badParts());
    assertTrue(out.firstProblem().orElseThrow().contains("line 4"), out.firstProblem().orElseThrow());
  }

  @Test
  @DisplayName("Influx line protocol: measurement.field metrics, tags, integers, booleans, strings, ns timestamps")
  void parsesInflux() {
    ParsedSamples out = new InfluxParser().parse(
      "disk,device=sda,mode=rw used=12i,free=3.5,ok=t,state=\"all good, really\" 1700000000123456789\n"
        + "web\\ server,path=/a\\,b hits=7\n"
        + "only_measurement\n", HOST_H);
    assertEquals(List.of(
      Sample.numeric("h", 1_700_000_000_123L, "disk.used", "device=sda,mode=rw", 12),
      Sample.numeric("h", 1_700_000_000_123L, "disk.free", "device=sda,mode=rw", 3.5),
      Sample.numeric("h", 1_700_000_000_123L, "disk.ok", "device=sda,mode=rw", 1),
      Sample.text("h", 1_700_000_000_123L, "disk.state", "device=sda,mode=rw", "all good, really"),
      Sample.numeric("h", NOW, "web server.hits", "path=/a_b", 7)), out.samples());
    assertEquals(1, out.badParts());
    assertTrue(out.firstProblem().orElseThrow().contains("line 3"), out.firstProblem().orElseThrow());
  }

  @Test
  @DisplayName("JSON: a nested object of values, or an array of metric objects")
  void parsesJson() {
    JsonSamplesParser json = new JsonSamplesParser();
    ParsedSamples object = json.parse("{\"queue\": {\"depth\": 3, \"state\": \"ok\"}, \"up\": true, \"bad\": [1]}", HOST_H);
    assertEquals(List.of(Sample.numeric("h", NOW, "queue.depth", "", 3), Sample.text("h", NOW, "queue.state", "", "ok"),
      Sample.numeric("h", NOW, "up", "", 1)), object.samples());
    assertEquals(1, object.badParts());

    ParsedSamples array = json.parse("[{\"metric\": \"temp\", \"value\": 21.5, \"tags\": {\"room\": \"a\"}, \"timestamp\": 1700000001},"
      + " {\"value\": 1}]", HOST_H);
    assertEquals(List.of(Sample.numeric("h", 1_700_000_001_000L, "temp", "room=a", 21.5)), array.samples());
    assertEquals(1, array.badParts());

    assertEquals(1, json.parse("not json", HOST_H).badParts());
  }

  @Test
  @DisplayName("names the tables cannot hold are bad lines, not truncated samples")
  void refusesOversizedNames() {
    ParsedSamples out = new GraphiteParser().parse("m".repeat(129) + " 1\nok 2\n", HOST_H);
    assertEquals(1, out.samples().size());
    assertEquals(1, out.badParts());
  }
}
