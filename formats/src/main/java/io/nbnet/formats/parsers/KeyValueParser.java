package io.nbnet.formats.parsers;

import io.nbnet.formats.Tags;

/**
 * The old agent's plugin output: {@code key:value} lines, stored as the old {@code UD_<key>} values
 * were: metric {@code UD_<key>}, a text value. No comments: {@code #} may start a key.
 */
public final class KeyValueParser extends LineParser {

  @Override
  boolean skipsComments() {
    return false;
  }

  @Override
  void parseLine(String line, SampleBuilder out) {
    int colon = line.indexOf(':');
    if (colon <= 0) {
      throw new IllegalArgumentException("expected key:value");
    }
    out.text("UD_" + line.substring(0, colon).strip(), Tags.NONE, line.substring(colon + 1).strip(), out.nowMillis());
  }
}
