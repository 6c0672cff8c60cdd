package io.nbnet.formats.parsers;

/**
 * A format of one sample group per line: blank lines (and, where the format allows, comment lines)
 * are skipped, and a line that cannot be read is reported with its number.
 */
abstract class LineParser implements SampleParser {

  @Override
  public final ParsedSamples parse(String input, SampleDefaults defaults) {
    SampleBuilder out = new SampleBuilder(defaults);
    int lineNumber = 0;
    int start = 0;
    while (start < input.length()) {
      int end = input.indexOf('\n', start);
      if (end < 0) {
        end = input.length();
      }
      lineNumber++;
      String line = input.substring(start, end).strip();
      start = end + 1;
      if (line.isEmpty() || skipsComments() && line.startsWith("#")) {
        continue;
      }
      try {
        parseLine(line, out);
      } catch (IllegalArgumentException e) {
        out.bad("line " + lineNumber + " \"" + SampleBuilder.abbreviate(line) + "\"", e.getMessage());
      }
    }
    return out.result();
  }

  /** True when lines starting with {@code #} are comments. */
  boolean skipsComments() {
    return true;
  }

  /** Adds the line's samples; throws IllegalArgumentException saying what is wrong with it. */
  abstract void parseLine(String line, SampleBuilder out);
}
