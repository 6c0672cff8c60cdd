package io.nbnet.rules.template;

import java.math.BigDecimal;
import java.math.MathContext;
import java.math.RoundingMode;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;

/**
 * Go's number and value formatting ({@code strconv.FormatFloat}, {@code fmt.Sprintf}, {@code fmt.Sprint})
 * for the values templates hold: float64 ({@link Double}), int ({@link Long}), string, bool, and
 * {@code map[string]string}. Rounding is Go's: the exact binary value, ties to even.
 */
public final class GoFormat {

  /** A width or precision past this makes Go's parser give up on the rest of the format ({@code %!(NOVERB)}). */
  private static final int MAX_WIDTH = 1_000_000;

  private GoFormat() {
  }

  /** {@code strconv.FormatFloat(v, verb, precision, 64)}: verb e, E, f, F, g or G; precision -1 is the shortest that reads back. */
  public static String formatFloat(double v, char verb, int precision) {
    if (Double.isNaN(v)) {
      return "NaN";
    }
    if (Double.isInfinite(v)) {
      return v > 0 ? "+Inf" : "-Inf";
    }
    boolean negative = v < 0 || (v == 0 && 1 / v < 0);
    Digits digits;
    char lower = Character.toLowerCase(verb);
    boolean shortest = precision < 0;
    if (shortest) {
      digits = Digits.shortest(Math.abs(v));
      precision = switch (lower) {
        case 'e' -> digits.count() - 1;
        case 'f' -> Math.max(digits.count() - digits.point(), 0);
        default -> digits.count();
      };
    } else {
      digits = switch (lower) {
        case 'e' -> Digits.significant(Math.abs(v), precision + 1);
        case 'f' -> Digits.decimals(Math.abs(v), precision);
        default -> Digits.significant(Math.abs(v), precision == 0 ? 1 : precision);
      };
      if (lower == 'g' && precision == 0) {
        precision = 1;
      }
    }
    String text;
    if (lower == 'e') {
      text = fmtE(digits, precision, verb == 'E' ? 'E' : 'e');
    } else if (lower == 'f') {
      text = fmtF(digits, precision);
    } else {
      int eprec = precision;
      if (eprec > digits.count() && digits.count() >= digits.point()) {
        eprec = digits.count();
      }
      if (shortest) {
        eprec = 6;
      }
      int exp = digits.point() - 1;
      if (exp < -4 || exp >= eprec) {
        text = fmtE(digits, Math.min(precision, digits.count()) - 1, verb == 'G' ? 'E' : 'e');
      } else {
        int decimals = precision > digits.point() ? digits.count() : precision;
        text = fmtF(digits, Math.max(decimals - digits.point(), 0));
      }
    }
    return negative ? "-" + text : text;
  }

  /** {@code fmt.Sprint(value)}: a float as {@code %v} (shortest, exponent from 1e+06), a map as {@code map[a:b]}. */
  public static String value(Object value) {
    if (value == null) {
      return "<nil>";
    }
    if (value instanceof Double d) {
      return formatFloat(d, 'g', -1);
    }
    if (value instanceof Map<?, ?> map) {
      StringBuilder text = new StringBuilder("map[");
      new TreeMap<>(map).forEach((k, v) -> text.append(text.length() > 4 ? " " : "").append(k).append(':').append(value(v)));
      return text.append(']').toString();
    }
    return value.toString();
  }

  /** {@code fmt.Sprint(args...)}: a space between two operands when neither is a string. */
  public static String sprint(List<Object> args) {
    StringBuilder text = new StringBuilder();
    for (int i = 0; i < args.size(); i++) {
      if (i > 0 && !(args.get(i) instanceof String) && !(args.get(i - 1) instanceof String)) {
        text.append(' ');
      }
      text.append(value(args.get(i)));
    }
    return text.toString();
  }

  /** {@code fmt.Sprintf}: verbs v s d f F e E g G x X q t and %%, with flags {@code -+ 0#}, width and precision. */
  public static String sprintf(String format, List<Object> args) {
    StringBuilder out = new StringBuilder();
    int next = 0;
    int i = 0;
    while (i < format.length()) {
      char c = format.charAt(i++);
      if (c != '%') {
        out.append(c);
        continue;
      }
      Spec spec = new Spec();
      while (i < format.length() && "-+ 0#".indexOf(format.charAt(i)) >= 0) {
        spec.flag(format.charAt(i++));
      }
      int start = i;
      i = digitsEnd(format, i);
      spec.width = i > start && i < format.length() ? Integer.parseInt(format.substring(start, i)) : -1;
      if (i < format.length() && format.charAt(i) == '.') {
        start = ++i;
        i = digitsEnd(format, i);
        spec.precision = i > start && i < format.length() ? Integer.parseInt(format.substring(start, i)) : 0;
      }
      if (i >= format.length()) {
        out.append("%!(NOVERB)");
        break;
      }
      char verb = format.charAt(i++);
      if (verb == '%') {
        out.append('%');
        continue;
      }
      if (next >= args.size()) {
        out.append("%!").append(verb).append("(MISSING)");
        continue;
      }
      out.append(spec.pad(formatOne(verb, spec, args.get(next++))));
    }
    if (next < args.size()) {
      out.append("%!(EXTRA ");
      for (int a = next; a < args.size(); a++) {
        out.append(a > next ? ", " : "").append(goType(args.get(a))).append('=').append(value(args.get(a)));
      }
      out.append(')');
    }
    return out.toString();
  }

  /** Where a run of digits from {@code i} ends; the format's end when the number grows past {@link #MAX_WIDTH}, as Go's parsenum. */
  private static int digitsEnd(String format, int i) {
    long number = 0;
    while (i < format.length() && Character.isDigit(format.charAt(i))) {
      if (number > MAX_WIDTH) {
        return format.length();
      }
      number = number * 10 + (format.charAt(i++) - '0');
    }
    return i;
  }

  private static String formatOne(char verb, Spec spec, Object arg) {
    if (arg instanceof Double d) {
      return switch (verb) {
        case 'v', 'g', 'G' -> spec.sign(formatFloat(d, verb == 'v' ? 'g' : verb, spec.precision));
        case 'f', 'F', 'e', 'E' -> spec.sign(formatFloat(d, verb, spec.precision < 0 ? 6 : spec.precision));
        default -> bad(verb, arg);
      };
    }
    if (arg instanceof Long l) {
      return switch (verb) {
        case 'v', 'd' -> spec.sign(Long.toString(l));
        case 'x' -> (l < 0 ? "-" : "") + Long.toHexString(Math.abs(l));
        case 'X' -> (l < 0 ? "-" : "") + Long.toHexString(Math.abs(l)).toUpperCase();
        default -> bad(verb, arg);
      };
    }
    if (arg instanceof String s) {
      return switch (verb) {
        case 'v', 's' -> spec.precision >= 0 && spec.precision < s.codePointCount(0, s.length())
          ? s.substring(0, s.offsetByCodePoints(0, spec.precision)) : s;
        case 'q' -> quote(s);
        case 'x' -> hex(s, false);
        case 'X' -> hex(s, true);
        default -> bad(verb, arg);
      };
    }
    if (arg instanceof Boolean b) {
      return verb == 'v' || verb == 't' ? b.toString() : bad(verb, arg);
    }
    return verb == 'v' ? value(arg) : bad(verb, arg);
  }

  private static String bad(char verb, Object arg) {
    return "%!" + verb + "(" + goType(arg) + "=" + value(arg) + ")";
  }

  static String goType(Object value) {
    if (value instanceof Double) {
      return "float64";
    }
    if (value instanceof Long) {
      return "int";
    }
    if (value instanceof Boolean) {
      return "bool";
    }
    if (value instanceof Map) {
      return "map[string]string";
    }
    return value == null ? "<nil>" : "string";
  }

  /** {@code strconv.Quote}. */
  public static String quote(String s) {
    StringBuilder out = new StringBuilder("\"");
    s.codePoints().forEach(cp -> {
      switch (cp) {
        case '"' -> out.append("\\\"");
        case '\\' -> out.append("\\\\");
        case '\n' -> out.append("\\n");
        case '\t' -> out.append("\\t");
        case '\r' -> out.append("\\r");
        default -> {
          if (cp < 0x20 || cp == 0x7f) {
            out.append(String.format("\\x%02x", cp));
          } else {
            out.appendCodePoint(cp);
          }
        }
      }
    });
    return out.append('"').toString();
  }

  private static String hex(String s, boolean upper) {
    StringBuilder out = new StringBuilder();
    for (byte b : s.getBytes(java.nio.charset.StandardCharsets.UTF_8)) {
      out.append(String.format(upper ? "%02X" : "%02x", b & 0xff));
    }
    return out.toString();
  }

  private static String fmtE(Digits d, int decimals, char e) {
    StringBuilder out = new StringBuilder();
    out.append(d.count() == 0 ? '0' : d.digit(0));
    if (decimals > 0) {
      out.append('.');
      for (int i = 1; i <= decimals; i++) {
        out.append(i < d.count() ? d.digit(i) : '0');
      }
    }
    int exp = d.count() == 0 ? 0 : d.point() - 1;
    out.append(e).append(exp < 0 ? '-' : '+');
    int abs = Math.abs(exp);
    out.append(abs < 10 ? "0" : "").append(abs);
    return out.toString();
  }

  private static String fmtF(Digits d, int decimals) {
    StringBuilder out = new StringBuilder();
    if (d.point() > 0) {
      for (int i = 0; i < d.point(); i++) {
        out.append(i < d.count() ? d.digit(i) : '0');
      }
    } else {
      out.append('0');
    }
    if (decimals > 0) {
      out.append('.');
      for (int i = 0; i < decimals; i++) {
        int at = d.point() + i;
        out.append(at >= 0 && at < d.count() ? d.digit(at) : '0');
      }
    }
    return out.toString();
  }

  /** Decimal digits {@code 0.d1d2... x 10^point} without trailing zeros, as strconv's decimal holds them. */
  private record Digits(String digits, int point) {

    static Digits shortest(double v) {
      if (v == 0) {
        return new Digits("", 0);
      }
      BigDecimal exact = new BigDecimal(v);
      for (int precision = 1; precision < 17; precision++) {
        BigDecimal rounded = exact.round(new MathContext(precision, RoundingMode.HALF_EVEN));
        if (rounded.doubleValue() == v) {
          return of(rounded);
        }
      }
      return of(exact.round(new MathContext(17, RoundingMode.HALF_EVEN)));
    }

    static Digits significant(double v, int count) {
      return v == 0 ? new Digits("", 0) : of(new BigDecimal(v).round(new MathContext(count, RoundingMode.HALF_EVEN)));
    }

    static Digits decimals(double v, int decimals) {
      BigDecimal rounded = new BigDecimal(v).setScale(decimals, RoundingMode.HALF_EVEN);
      return rounded.signum() == 0 ? new Digits("", 0) : of(rounded);
    }

    static Digits of(BigDecimal value) {
      BigDecimal stripped = value.stripTrailingZeros();
      String digits = stripped.unscaledValue().toString();
      return new Digits(digits, digits.length() - stripped.scale());
    }

    int count() {
      return digits.length();
    }

    char digit(int i) {
      return digits.charAt(i);
    }
  }

  private static final class Spec {
    int width = -1;
    int precision = -1;
    boolean minus;
    boolean plus;
    boolean space;
    boolean zero;

    void flag(char c) {
      switch (c) {
        case '-' -> minus = true;
        case '+' -> plus = true;
        case ' ' -> space = true;
        case '0' -> zero = true;
        default -> {
        }
      }
    }

    String sign(String number) {
      if (number.startsWith("-") || number.startsWith("+")) {
        return number;
      }
      return plus ? "+" + number : space ? " " + number : number;
    }

    String pad(String text) {
      int length = text.codePointCount(0, text.length());
      if (width <= length) {
        return text;
      }
      // Go pads infinities and NaN with spaces even under the 0 flag
      boolean zeroes = zero && !minus && !text.endsWith("Inf") && !text.endsWith("NaN");
      String fill = (zeroes ? "0" : " ").repeat(width - length);
      if (minus) {
        return text + fill;
      }
      if (zeroes && (text.startsWith("-") || text.startsWith("+"))) {
        return text.charAt(0) + fill + text.substring(1);
      }
      return fill + text;
    }
  }
}
