package io.nbnet.store.tables;

import io.nbnet.store.testing.TestDatabase;
import io.vertx.core.Vertx;
import io.vertx.core.buffer.Buffer;
import io.vertx.junit5.VertxExtension;
import org.junit.jupiter.api.DisplayName;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;

import java.util.Arrays;
import java.util.List;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** The raw tier's encoding: what a block keeps of its points, and what it refuses or finds damaged. */
@ExtendWith(VertxExtension.class)
class BlockCodecTest {

  private static final long WINDOW = 1_700_000_100_000L;
  private static final long[] TIMES = {WINDOW, WINDOW + 9_999, WINDOW + 10_000, WINDOW + 299_999};

  @Test
  @DisplayName("times are stored as milliseconds after the window's start and read back exactly")
  void timesRoundTrip() {
    String stored = BlockCodec.encodeTimes(WINDOW, TIMES);
    assertEquals("[0,9999,10000,299999]", stored);
    assertArrayEquals(TIMES, BlockCodec.decodeTimes(WINDOW, stored));
    assertArrayEquals(new long[0], BlockCodec.decodeTimes(WINDOW, BlockCodec.encodeTimes(WINDOW, new long[0])));
  }

  @Test
  @DisplayName("every double comes back bit for bit (negative zero as zero): fractions, tiny and huge values, integers past 2^53")
  void numbersKeepEveryDigit() {
    double[] values = {0.1 + 0.2, 1e-300, -1.7976931348623157e308, 9_007_199_254_740_993.0, 1e15, 123_456_789_012_345.0, -0.0};
    long[] times = new long[values.length];
    for (int i = 0; i < times.length; i++) {
      times[i] = WINDOW + i * 1_000L;
    }
    List<Point> points = BlockCodec.decode(times, BlockCodec.encodeNumbers(values));
    assertEquals(values.length, points.size());
    for (int i = 0; i < values.length; i++) {
      assertEquals(Double.doubleToLongBits(values[i] == 0 ? 0.0 : values[i]), Double.doubleToLongBits(points.get(i).value()),
        "value " + values[i]);
      assertEquals(times[i], points.get(i).ts());
    }
  }

  @Test
  @DisplayName("a block aligned with its host's times: missing times stay missing, texts keep quotes, backslashes and control characters")
  void gapsAndTexts() {
    String text = "say \"hi\"\\ \t\n\u0001 caf\u00e9";
    List<Point> points = List.of(Point.numeric(TIMES[0], 42), Point.text(TIMES[2], text), Point.numeric(TIMES[3], -0.5));
    List<Point> decoded = BlockCodec.decode(TIMES, BlockCodec.encode(TIMES, points));
    assertEquals(points, decoded);
  }

  @Test
  @DisplayName("a point at a time the window does not hold is refused instead of being shifted onto another")
  void refusesPointsOffTheTimes() {
    IllegalArgumentException refused = assertThrows(IllegalArgumentException.class,
      () -> BlockCodec.encode(TIMES, List.of(Point.numeric(TIMES[0] + 1, 1))));
    assertTrue(refused.getMessage().contains("not among the window's times"), refused.getMessage());
  }

  @Test
  @DisplayName("a damaged block, or one of another length than its times, is reported as damaged, never read as other values")
  void damagedBlocks() {
    byte[] block = BlockCodec.encodeNumbers(new double[] {1, 2, 3, 4});
    IllegalStateException truncated = assertThrows(IllegalStateException.class,
      () -> BlockCodec.decode(TIMES, Arrays.copyOf(block, block.length / 2)));
    assertTrue(truncated.getMessage().startsWith("damaged raw block"), truncated.getMessage());
    IllegalStateException misaligned = assertThrows(IllegalStateException.class,
      () -> BlockCodec.decode(Arrays.copyOf(TIMES, 3), block));
    assertEquals("damaged raw block: 4 values for 3 times", misaligned.getMessage());
  }

  @Test
  @DisplayName("MySQL's UNCOMPRESS reads a block back as the JSON the views take apart")
  void sqlReadsBlocks(Vertx vertx) {
    try (TestDatabase database = new TestDatabase(vertx)) {
      byte[] block = BlockCodec.encode(TIMES, List.of(Point.numeric(TIMES[1], 0.25), Point.text(TIMES[3], "\u00e9t\u00e9")));
      String json = database.query("SELECT CAST(UNCOMPRESS(?) AS CHAR CHARACTER SET utf8mb4)", Buffer.buffer(block)).get(0).getString(0);
      assertEquals("[null,0.25,null,{\"t\":\"\u00e9t\u00e9\"}]", json);
    }
  }
}
