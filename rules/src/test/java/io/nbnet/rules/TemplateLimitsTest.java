package io.nbnet.rules;

import io.nbnet.rules.template.Template;
import io.nbnet.rules.template.TemplateException;
import org.junit.jupiter.api.DisplayName;
import org.junit.jupiter.api.Test;

import java.util.Map;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** A template is text an operator (or whoever can write a rule file) controls: it cannot take the saver's memory or stack. */
class TemplateLimitsTest {

  private static final Template.Data DATA = new Template.Data(Map.of("host", "web-1"), Map.of(), "", 1.5);

  @Test
  @DisplayName("widths and precisions past Go's million end the format as Go's parser does, nothing allocated")
  void hugeWidthIsRefused() {
    assertEquals("%!(NOVERB)%!(EXTRA float64=1.5)", Template.parse("{{ printf \"%999999999999v\" $value }}").expand(DATA));
    assertEquals("%!(NOVERB)%!(EXTRA float64=1.5)", Template.parse("{{ printf \"%.99999999f\" $value }}").expand(DATA));
    assertEquals("  1.50", Template.parse("{{ printf \"%6.2f\" $value }}").expand(DATA));
  }

  @Test
  @DisplayName("a value doubled in a loop stops at the output bound with an error")
  void doublingStops() {
    StringBuilder text = new StringBuilder("{{ $x := \"ab\" }}");
    text.append("{{ range $k, $v := $labels }}");
    for (int i = 0; i < 40; i++) {
      text.append("{{ $x = printf \"%s%s\" $x $x }}");
    }
    text.append("{{ end }}{{ len $x }}");
    TemplateException e = assertThrows(TemplateException.class, () -> Template.parse(text.toString()).expand(DATA));
    assertTrue(e.getMessage().contains("past 65536 characters"), e.getMessage());
  }

  @Test
  @DisplayName("nesting past 100 and an empty character constant are refused with their place")
  void deepNestingIsRefused() {
    String deep = "{{ " + "(".repeat(5_000) + "1" + ")".repeat(5_000) + " }}";
    TemplateException e = assertThrows(TemplateException.class, () -> Template.parse(deep));
    assertTrue(e.getMessage().contains("nested deeper than 100"), e.getMessage());
    assertTrue(assertThrows(TemplateException.class, () -> Template.parse("{{ '' }}")).getMessage().startsWith("1:4: "));
  }
}
