package io.nbnet.promql.testing;

import io.nbnet.promql.Labels;
import io.nbnet.promql.Values;
import io.nbnet.promql.parser.Durations;
import io.nbnet.promql.parser.Numbers;
import io.nbnet.promql.parser.Parser;

import java.util.ArrayList;
import java.util.List;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * Prometheus's PromQL test format ({@code promql/test.go}): {@code load <step>} and series with value
 * sequences ({@code 0+10x5 _ stale}), {@code clear}, and {@code eval[_fail|_ordered] instant at <time>
 * <query>} followed by the expected samples.
 */
public final class TestScript {

  private static final Pattern EVAL = Pattern.compile("^eval(?:_(fail|ordered))?\\s+instant\\s+(?:at\\s+(.+?))?\\s+(.+)$");
  private static final Pattern VALUE = Pattern.compile("^([+-]?(?:[0-9]*\\.?[0-9]+(?:[eE][+-]?[0-9]+)?|[iI]nf|[nN]a[nN]))"
    + "(?:([+-])([0-9]*\\.?[0-9]+(?:[eE][+-]?[0-9]+)?|[iI]nf))?(?:x([0-9]+))?$");

  /** One command of a script. */
  public sealed interface Command permits Load, Clear, Eval {
  }

  public record Load(int line, long stepMillis, List<SeriesValues> series) implements Command {
  }

  public record Clear(int line) implements Command {
  }

  /** @param expected null values for a scalar: then {@code scalar} holds it */
  public record Eval(int line, String query, long timeMillis, boolean fail, boolean ordered, List<Expected> expected, Double scalar)
    implements Command {
  }

  /** A series and its values, one per step; null where a step has none. */
  public record SeriesValues(Labels labels, List<Double> values) {
  }

  public record Expected(Labels labels, double value) {
  }

  private TestScript() {
  }

  public static List<Command> parse(String text) {
    String[] lines = text.split("\n", -1);
    for (int i = 0; i < lines.length; i++) {
      lines[i] = lines[i].trim();
      if (lines[i].startsWith("#")) {
        lines[i] = "";
      }
    }
    List<Command> commands = new ArrayList<>();
    for (int i = 0; i < lines.length; i++) {
      String line = lines[i];
      if (line.isEmpty()) {
        continue;
      }
      String word = line.split("[\t ]+", 2)[0].toLowerCase(java.util.Locale.ROOT);
      if (word.equals("clear")) {
        commands.add(new Clear(i + 1));
      } else if (word.equals("load")) {
        long step = Durations.parse(line.substring(4).trim());
        List<SeriesValues> series = new ArrayList<>();
        int start = i;
        while (i + 1 < lines.length && !lines[i + 1].isEmpty()) {
          series.add(seriesValues(lines[++i]));
        }
        commands.add(new Load(start + 1, step, series));
      } else if (word.startsWith("eval")) {
        Matcher eval = EVAL.matcher(line);
        if (!eval.matches()) {
          throw new IllegalArgumentException("line " + (i + 1) + ": invalid evaluation command");
        }
        int start = i;
        List<Expected> expected = new ArrayList<>();
        Double scalar = null;
        while (i + 1 < lines.length && !lines[i + 1].isEmpty()) {
          String definition = lines[++i];
          try {
            scalar = Numbers.parse(definition, IllegalArgumentException::new);
            break;
          } catch (IllegalArgumentException notANumber) {
            SeriesValues values = seriesValues(definition);
            expected.add(new Expected(values.labels(), values.values().get(0)));
          }
        }
        commands.add(new Eval(start + 1, eval.group(3), Durations.parse(eval.group(2)), "fail".equals(eval.group(1)),
          "ordered".equals(eval.group(1)), expected, scalar));
      } else {
        throw new IllegalArgumentException("line " + (i + 1) + ": invalid command " + line);
      }
    }
    return commands;
  }

  /** {@code metric{labels} v1 v2 ...}. */
  static SeriesValues seriesValues(String line) {
    int end = line.indexOf('{') >= 0 ? closingBrace(line) + 1 : firstSpace(line);
    String metric = end < 0 ? line : line.substring(0, end);
    String rest = end < 0 ? "" : line.substring(end).trim();
    List<Double> values = new ArrayList<>();
    for (String item : rest.isEmpty() ? new String[0] : rest.split("\\s+")) {
      addItem(values, item);
    }
    return new SeriesValues(Parser.parseMetric(metric), values);
  }

  private static int firstSpace(String line) {
    for (int i = 0; i < line.length(); i++) {
      if (Character.isWhitespace(line.charAt(i))) {
        return i;
      }
    }
    return -1;
  }

  private static int closingBrace(String line) {
    boolean quoted = false;
    for (int i = line.indexOf('{'); i < line.length(); i++) {
      char c = line.charAt(i);
      if (c == '\\' && quoted) {
        i++;
      } else if (c == '"') {
        quoted = !quoted;
      } else if (c == '}' && !quoted) {
        return i;
      }
    }
    throw new IllegalArgumentException("no closing brace: " + line);
  }

  private static void addItem(List<Double> values, String item) {
    if (item.startsWith("_")) {
      int times = item.length() > 2 && item.charAt(1) == 'x' ? Integer.parseInt(item.substring(2)) : 1;
      for (int i = 0; i < times; i++) {
        values.add(null);
      }
      return;
    }
    if (item.equals("stale")) {
      values.add(Values.STALE_NAN);
      return;
    }
    Matcher match = VALUE.matcher(item);
    if (!match.matches()) {
      throw new IllegalArgumentException("bad series value " + item);
    }
    double value = number(match.group(1));
    if (match.group(4) == null) {
      values.add(value);
      return;
    }
    int times = Integer.parseInt(match.group(4));
    double delta = match.group(3) == null ? 0 : number(match.group(3)) * (match.group(2).equals("-") ? -1 : 1);
    for (int i = 0; i <= times; i++) {
      values.add(value);
      value += delta;
    }
  }

  private static double number(String text) {
    return Numbers.parse(text, IllegalArgumentException::new);
  }
}
