package io.nbnet.formats.nb1;

import io.nbnet.formats.InvalidPayloadException;
import io.nbnet.formats.Sample;
import io.nbnet.formats.Tags;
import io.vertx.core.buffer.Buffer;
import org.junit.jupiter.api.DisplayName;
import org.junit.jupiter.api.Test;

import java.util.List;
import java.util.Map;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

class NativeFormatTest {

  @Test
  @DisplayName("samples survive encoding and decoding, text values and awkward characters included")
  void roundTrips() {
    List<Sample> samples = List.of(
      Sample.numeric("web-1", 1_700_000_000_123L, "cpu.user", Tags.NONE, 12.5),
      Sample.numeric("web-1", 1_700_000_000_123L, "disk.reads_per_s", Tags.of("device", "sda"), 3),
      Sample.text("host\twith\ttabs", 5L, "plugin.state", Tags.of(Map.of("b", "2", "a", "1")), "line1\nline2 \\ \"quoted\""));
    Buffer payload = NativeFormat.encode("collector@web-1", 42, samples);
    assertTrue(NativeFormat.isNative(payload));
    NativeBatch batch = NativeFormat.decode(payload);
    assertEquals("collector@web-1", batch.source());
    assertEquals(42, batch.sequence());
    assertEquals(samples, batch.samples());
    assertEquals("a=1,b=2", batch.samples().get(2).tags());
    assertEquals("cpu", batch.samples().get(0).family());
  }

  @Test
  @DisplayName("a frame with a header and no samples is valid")
  void acceptsEmptyBatch() {
    assertEquals(List.of(), NativeFormat.decode(NativeFormat.encode("s", 1, List.of())).samples());
  }

  @Test
  @DisplayName("malformed native frames are rejected with the line that is wrong")
  void rejectsMalformed() {
    assertMessage("NB1\ts\t1", "header line has no newline");
    assertMessage("NB1\ts\n", "header must be");
    assertMessage("NB1\ts\t-4\n", "sequence is not an integer from 0 to");
    assertMessage("NB1\ts\t1\nh\t1\tm\t\n", "line 2: expected 5 tab-separated fields");
    assertMessage("NB1\ts\t1\nh\tnow\tm\t\t1\n", "line 2: timestamp");
    assertMessage("NB1\ts\t1\nh\t1\tm\t\tInfinity\n", "value must be a finite decimal number");
    assertMessage("NB1\ts\t1\nh\t1\tm\t\t0x10\n", "value");
    assertMessage("NB1\ts\t1\n\t1\tm\t\t1\n", "host must have 1..255");
    assertMessage("NB1\ts\t1\nh\t1\tm\t\t1", "line 2: no newline at the end");
    assertMessage("NB1\ts\t1\nh\\q\t1\tm\t\t1\n", "unknown escape");
    assertMessage("NB1\ts\t1\nh\t1\t" + "m".repeat(129) + "\t\t1\n", "metric must have 1..128");
  }

  @Test
  @DisplayName("one set of field rules: a timestamp past year 9999 is refused on the plain and the escaped path alike")
  void timestampRulesAreTheSameOnBothPaths() {
    String tooLate = "9223372036854775807";
    assertMessage("NB1\ts\t1\nh\t" + tooLate + "\tm\t\t1\n", "line 2: timestamp is not an integer from 0 to 253402300799999");
    assertMessage("NB1\ts\t1\nh\\\\x\t" + tooLate + "\tm\t\t1\n", "line 2: timestamp is not an integer from 0 to 253402300799999");
    assertEquals(253_402_300_799_999L, NativeFormat.decode(Buffer.buffer("NB1\ts\t1\nh\t253402300799999\tm\t\t1\n"))
      .samples().get(0).timestampMillis());
  }

  @Test
  @DisplayName("bytes that are not UTF-8 are refused with their line, never replaced (two hosts would merge)")
  void refusesInvalidUtf8() {
    Buffer payload = Buffer.buffer("NB1\ts\t1\nh\t1\tm\t\t1\nweb").appendByte((byte) 0xff).appendString("\t1\tm\t\t1\n");
    InvalidPayloadException e = assertThrows(InvalidPayloadException.class, () -> NativeFormat.decode(payload));
    assertEquals("native frame line 3: not valid UTF-8", e.getMessage());
  }

  @Test
  @DisplayName("a line with too few fields in a frame without tabs after it is named, not searched for to the end")
  void namesShortLines() {
    assertMessage("NB1\ts\t1\nh\t1\tm\t\t1\nno tabs here\n" + "x\n".repeat(1000), "line 3: expected 5 tab-separated fields, got 1");
  }

  private static void assertMessage(String payload, String expected) {
    InvalidPayloadException e = assertThrows(InvalidPayloadException.class, () -> NativeFormat.decode(Buffer.buffer(payload)));
    assertTrue(e.getMessage().contains(expected), () -> "'" + e.getMessage() + "' should contain '" + expected + "'");
  }
}
