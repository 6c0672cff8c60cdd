package io.nbnet.formats.nb1;

import io.nbnet.formats.InvalidPayloadException;
import io.nbnet.formats.SpecialValues;
import org.junit.jupiter.api.DisplayName;
import org.junit.jupiter.api.Test;

import java.util.ArrayList;
import java.util.List;
import java.util.SplittableRandom;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

class FieldRulesTest {

  @Test
  @DisplayName("every number decodes to exactly the double Double.parseDouble gives, fast path or not")
  void numbersMatchParseDouble() {
    List<String> texts = new ArrayList<>(List.of("0", "-0", "+0", "-0.0", "5.", ".5", "007", "1e3", "-2.5E-3", "9007199254740991",
      "9007199254740993", "123456789012345678", "1234567890123456789", "0.1", "0.30000000000000004", "1.7976931348623157E308",
      "4.9E-324", "0.0000000000000000000001", "0.00000000000000000000001", "725748.8108341151", "-33467572224"));
    SplittableRandom random = new SplittableRandom(42);
    for (int i = 0; i < 200_000; i++) {
      texts.add(switch (i % 4) {
        case 0 -> Double.toString(Double.longBitsToDouble(random.nextLong()) % 1e9);
        case 1 -> Double.toString(random.nextDouble(-1e6, 1e6));
        case 2 -> Long.toString(random.nextLong(-(1L << 54), 1L << 54));
        default -> random.nextInt(1_000_000) + "." + "0".repeat(random.nextInt(4)) + random.nextInt(1_000_000);
      });
    }
    for (String text : texts) {
      if (text.contains("NaN") || text.contains("Infinity")) {
        continue;
      }
      double expected = Double.parseDouble(text);
      double decoded = FieldRules.number(text, 0, text.length(), 1);
      assertEquals(Double.doubleToRawLongBits(expected), Double.doubleToRawLongBits(decoded), text);
    }
  }

  @Test
  @DisplayName("what is neither a finite decimal number nor the name of NaN, +Inf, -Inf or stale is refused")
  void refusesOtherText() {
    for (String text : List.of("", "-", ".", "+.", "1.2.3", "0x10", "1e400", "nan", "Infinity", "Inf", "12abc", " 1", "NaN ")) {
      assertThrows(InvalidPayloadException.class, () -> FieldRules.number(text, 0, text.length(), 1), text);
    }
    assertTrue(Double.isNaN(FieldRules.number("NaN", 0, 3, 1)));
    assertEquals(Double.POSITIVE_INFINITY, FieldRules.number("+Inf", 0, 4, 1));
    assertEquals(Double.NEGATIVE_INFINITY, FieldRules.number("-Inf", 0, 4, 1));
    assertTrue(SpecialValues.isStale(FieldRules.number("stale", 0, 5, 1)), "the stale marker, bits and all");
  }
}
