package io.nbnet.rules.template;

import com.google.re2j.Pattern;
import com.google.re2j.PatternSyntaxException;

import java.time.Instant;
import java.time.ZoneOffset;
import java.time.format.DateTimeFormatter;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeSet;

/**
 * The functions templates may call: Go's builtins that rules use and Prometheus's own (its
 * {@code template.go}), each as Prometheus 2.42 computes it. {@code query} and the functions over its
 * results are not here: an alert's text is rendered from its own labels and value.
 */
final class TemplateFunctions {

  private static final Set<String> NAMES = new TreeSet<>(List.of("and", "or", "not", "eq", "ne", "lt", "le", "gt", "ge", "len", "index",
    "print", "printf", "println", "humanize", "humanize1024", "humanizeDuration", "humanizePercentage", "humanizeTimestamp",
    "reReplaceAll", "match", "toUpper", "toLower", "title", "stripPort"));
  private static final String[] BIG_PREFIXES = {"k", "M", "G", "T", "P", "E", "Z", "Y"};
  private static final String[] SMALL_PREFIXES = {"m", "u", "n", "p", "f", "a", "z", "y"};
  private static final String[] BINARY_PREFIXES = {"ki", "Mi", "Gi", "Ti", "Pi", "Ei", "Zi", "Yi"};
  private static final DateTimeFormatter GO_TIME = DateTimeFormatter.ofPattern("yyyy-MM-dd HH:mm:ss[.SSSSSSSSS] '+0000 UTC'")
    .withZone(ZoneOffset.UTC);

  private TemplateFunctions() {
  }

  static boolean isKnown(String name) {
    return NAMES.contains(name);
  }

  static String names() {
    return String.join(", ", NAMES);
  }

  static Object call(String name, List<Object> args) {
    return switch (name) {
      case "and" -> {
        atLeast(name, args, 1);
        Object last = null;
        for (Object arg : args) {
          last = arg;
          if (!Template.isTrue(arg)) {
            break;
          }
        }
        yield last;
      }
      case "or" -> {
        atLeast(name, args, 1);
        Object last = null;
        for (Object arg : args) {
          last = arg;
          if (Template.isTrue(arg)) {
            break;
          }
        }
        yield last;
      }
      case "not" -> !Template.isTrue(one(name, args));
      case "eq" -> {
        atLeast(name, args, 2);
        boolean any = false;
        for (Object other : args.subList(1, args.size())) {
          any |= compare(name, args.get(0), other);
        }
        yield any;
      }
      case "ne", "lt", "le", "gt", "ge" -> compare(name, two(name, args).get(0), args.get(1));
      case "len" -> {
        Object value = one(name, args);
        if (value instanceof String s) {
          yield (long) s.getBytes(java.nio.charset.StandardCharsets.UTF_8).length;
        }
        if (value instanceof Map<?, ?> map) {
          yield (long) map.size();
        }
        throw new TemplateException("error calling len: len of type " + GoFormat.goType(value));
      }
      case "index" -> {
        atLeast(name, args, 2);
        Object value = args.get(0);
        for (Object key : args.subList(1, args.size())) {
          if (!(value instanceof Map<?, ?> map) || !(key instanceof String)) {
            throw new TemplateException("error calling index: cannot index " + GoFormat.goType(value) + " with " + GoFormat.goType(key));
          }
          value = map.containsKey(key) ? map.get(key) : "";
        }
        yield value;
      }
      case "print" -> GoFormat.sprint(args);
      case "println" -> {
        StringBuilder line = new StringBuilder();
        for (int i = 0; i < args.size(); i++) {
          line.append(i > 0 ? " " : "").append(GoFormat.value(args.get(i)));
        }
        yield line.append('\n').toString();
      }
      case "printf" -> {
        atLeast(name, args, 1);
        if (!(args.get(0) instanceof String format)) {
          throw new TemplateException("wrong type for value; expected string; got " + GoFormat.goType(args.get(0)));
        }
        yield GoFormat.sprintf(format, args.subList(1, args.size()));
      }
      case "humanize" -> humanize(toFloat(name, one(name, args)));
      case "humanize1024" -> humanize1024(toFloat(name, one(name, args)));
      case "humanizeDuration" -> humanizeDuration(toFloat(name, one(name, args)));
      case "humanizePercentage" -> GoFormat.formatFloat(toFloat(name, one(name, args)) * 100, 'g', 4) + "%";
      case "humanizeTimestamp" -> humanizeTimestamp(toFloat(name, one(name, args)));
      case "reReplaceAll" -> {
        List<String> strings = strings(name, args, 3);
        yield GoRegexp.replaceAll(compile(strings.get(0)), strings.get(2), strings.get(1));
      }
      case "match" -> {
        List<String> strings = strings(name, args, 2);
        yield compile(strings.get(0)).matcher(strings.get(1)).find();
      }
      case "toUpper" -> strings(name, args, 1).get(0).toUpperCase(java.util.Locale.ROOT);
      case "toLower" -> strings(name, args, 1).get(0).toLowerCase(java.util.Locale.ROOT);
      case "title" -> title(strings(name, args, 1).get(0));
      case "stripPort" -> stripPort(strings(name, args, 1).get(0));
      default -> throw new TemplateException("function \"" + name + "\" not defined");
    };
  }

  static String humanize(double v) {
    if (v == 0 || Double.isNaN(v) || Double.isInfinite(v)) {
      return GoFormat.formatFloat(v, 'g', 4);
    }
    String prefix = "";
    if (Math.abs(v) >= 1) {
      for (String p : BIG_PREFIXES) {
        if (Math.abs(v) < 1000) {
          break;
        }
        prefix = p;
        v /= 1000;
      }
      return GoFormat.formatFloat(v, 'g', 4) + prefix;
    }
    for (String p : SMALL_PREFIXES) {
      if (Math.abs(v) >= 1) {
        break;
      }
      prefix = p;
      v *= 1000;
    }
    return GoFormat.formatFloat(v, 'g', 4) + prefix;
  }

  static String humanize1024(double v) {
    if (Math.abs(v) <= 1 || Double.isNaN(v) || Double.isInfinite(v)) {
      return GoFormat.formatFloat(v, 'g', 4);
    }
    String prefix = "";
    for (String p : BINARY_PREFIXES) {
      if (Math.abs(v) < 1024) {
        break;
      }
      prefix = p;
      v /= 1024;
    }
    return GoFormat.formatFloat(v, 'g', 4) + prefix;
  }

  static String humanizeDuration(double v) {
    if (Double.isNaN(v) || Double.isInfinite(v)) {
      return GoFormat.formatFloat(v, 'g', 4);
    }
    if (v == 0) {
      return GoFormat.formatFloat(v, 'g', 4) + "s";
    }
    if (Math.abs(v) >= 1) {
      String sign = "";
      if (v < 0) {
        sign = "-";
        v = -v;
      }
      long duration = goInt64(v);
      long seconds = duration % 60;
      long minutes = (duration / 60) % 60;
      long hours = (duration / 60 / 60) % 24;
      long days = duration / 60 / 60 / 24;
      if (days != 0) {
        return sign + days + "d " + hours + "h " + minutes + "m " + seconds + "s";
      }
      if (hours != 0) {
        return sign + hours + "h " + minutes + "m " + seconds + "s";
      }
      if (minutes != 0) {
        return sign + minutes + "m " + seconds + "s";
      }
      return sign + GoFormat.formatFloat(v, 'g', 4) + "s";
    }
    String prefix = "";
    for (String p : SMALL_PREFIXES) {
      if (Math.abs(v) >= 1) {
        break;
      }
      prefix = p;
      v *= 1000;
    }
    return GoFormat.formatFloat(v, 'g', 4) + prefix + "s";
  }

  /** Go's float64-to-int64 conversion on amd64: out of range is the smallest int64, not Java's saturation. */
  private static long goInt64(double v) {
    return v >= 0x1p63 || v < -0x1p63 ? Long.MIN_VALUE : (long) v;
  }

  private static String humanizeTimestamp(double v) {
    if (Double.isNaN(v) || Double.isInfinite(v)) {
      return GoFormat.formatFloat(v, 'g', 4);
    }
    double nanos = v * 1e9;
    if (nanos > Long.MAX_VALUE || nanos < Long.MIN_VALUE) {
      throw new TemplateException("error calling humanizeTimestamp: " + GoFormat.value(v)
        + " cannot be represented as a nanoseconds timestamp since it overflows int64");
    }
    long total = (long) nanos;
    Instant instant = Instant.ofEpochSecond(Math.floorDiv(total, 1_000_000_000L), Math.floorMod(total, 1_000_000_000L));
    String text = GO_TIME.format(instant);
    // Go prints fractional seconds without trailing zeros
    int dot = text.indexOf('.', 17);
    if (dot > 0) {
      int space = text.indexOf(' ', dot);
      String fraction = text.substring(dot + 1, space).replaceAll("0+$", "");
      text = text.substring(0, dot) + (fraction.isEmpty() ? "" : "." + fraction) + text.substring(space);
    }
    return text;
  }

  /** Go's {@code strings.Title}: the first letter after a separator upper-cased (ASCII other than letters, digits and _; spaces). */
  static String title(String text) {
    StringBuilder out = new StringBuilder();
    int previous = ' ';
    for (int i = 0; i < text.length(); ) {
      int cp = text.codePointAt(i);
      out.appendCodePoint(isSeparator(previous) ? Character.toTitleCase(cp) : cp);
      previous = cp;
      i += Character.charCount(cp);
    }
    return out.toString();
  }

  private static boolean isSeparator(int cp) {
    if (cp <= 0x7f) {
      return !(Character.isLetterOrDigit(cp) || cp == '_');
    }
    return !Character.isLetterOrDigit(cp) && Character.isWhitespace(cp);
  }

  private static String stripPort(String hostPort) {
    if (hostPort.startsWith("[")) {
      int close = hostPort.indexOf("]:");
      return close > 0 && hostPort.indexOf(':', close + 2) < 0 ? hostPort.substring(1, close) : hostPort;
    }
    int colon = hostPort.indexOf(':');
    return colon >= 0 && colon == hostPort.lastIndexOf(':') ? hostPort.substring(0, colon) : hostPort;
  }

  private static Pattern compile(String pattern) {
    try {
      return Pattern.compile(pattern);
    } catch (PatternSyntaxException e) {
      throw new TemplateException("regexp: Compile(" + GoFormat.quote(pattern) + "): " + e.getMessage());
    }
  }

  /** Go templates compare values of one basic kind only: int with int, float with float, string with string. */
  private static boolean compare(String op, Object a, Object b) {
    int order;
    if (a instanceof Long x && b instanceof Long y) {
      order = Long.compare(x, y);
    } else if (a instanceof Double x && b instanceof Double y) {
      // NaN: every comparison false but !=, as Go's operators
      if (Double.isNaN(x) || Double.isNaN(y)) {
        return op.equals("ne");
      }
      order = Double.compare(x + 0.0, y + 0.0);
    } else if (a instanceof String x && b instanceof String y) {
      order = Integer.signum(x.compareTo(y));
    } else if ((op.equals("eq") || op.equals("ne")) && a instanceof Boolean x && b instanceof Boolean y) {
      order = x.equals(y) ? 0 : 1;
    } else if (a == null || b == null || a instanceof Map || b instanceof Map || a instanceof Boolean || b instanceof Boolean) {
      throw new TemplateException("error calling " + op + ": invalid type for comparison");
    } else {
      throw new TemplateException("error calling " + op + ": incompatible types for comparison");
    }
    return switch (op) {
      case "eq" -> order == 0;
      case "ne" -> order != 0;
      case "lt" -> order < 0;
      case "le" -> order <= 0;
      case "gt" -> order > 0;
      default -> order >= 0;
    };
  }

  private static double toFloat(String name, Object value) {
    if (value instanceof Double d) {
      return d;
    }
    if (value instanceof Long l) {
      return l;
    }
    if (value instanceof String s) {
      try {
        return GoNumbers.parseFloat(s);
      } catch (NumberFormatException e) {
        throw new TemplateException("error calling " + name + ": strconv.ParseFloat: parsing " + GoFormat.quote(s) + ": invalid syntax");
      }
    }
    throw new TemplateException("error calling " + name + ": can't convert " + GoFormat.goType(value) + " to float");
  }

  private static Object one(String name, List<Object> args) {
    if (args.size() != 1) {
      throw new TemplateException("wrong number of args for " + name + ": want 1 got " + args.size());
    }
    return args.get(0);
  }

  private static List<Object> two(String name, List<Object> args) {
    if (args.size() != 2) {
      throw new TemplateException("wrong number of args for " + name + ": want 2 got " + args.size());
    }
    return args;
  }

  private static void atLeast(String name, List<Object> args, int count) {
    if (args.size() < count) {
      throw new TemplateException("wrong number of args for " + name + ": want at least " + count + " got " + args.size());
    }
  }

  private static List<String> strings(String name, List<Object> args, int count) {
    if (args.size() != count) {
      throw new TemplateException("wrong number of args for " + name + ": want " + count + " got " + args.size());
    }
    for (Object arg : args) {
      if (!(arg instanceof String)) {
        throw new TemplateException("wrong type for value; expected string; got " + GoFormat.goType(arg));
      }
    }
    return args.stream().map(String.class::cast).toList();
  }
}
