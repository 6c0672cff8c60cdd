package io.nbnet.formats;

import java.util.LinkedHashMap;
import java.util.Map;
import java.util.TreeMap;

/**
 * Canonical tag strings: {@code key=value} pairs sorted by key, joined by commas. Native tags have
 * commas and equals signs replaced; labels that must stay whole (remote write's) have them, and
 * backslashes, escaped with a backslash.
 */
public final class Tags {

  public static final String NONE = "";

  private Tags() {
  }

  public static String of(String key, String value) {
    return clean(key) + "=" + clean(value);
  }

  public static String of(Map<String, String> tags) {
    StringBuilder text = new StringBuilder();
    for (Map.Entry<String, String> tag : new TreeMap<>(tags).entrySet()) {
      if (text.length() > 0) {
        text.append(',');
      }
      text.append(clean(tag.getKey())).append('=').append(clean(tag.getValue()));
    }
    return text.toString();
  }

  /** Labels as tags kept whole: {@code \\}, {@code \,} and {@code \=} stand for a backslash, a comma and an equals sign. */
  public static String escaped(Map<String, String> labels) {
    StringBuilder text = new StringBuilder();
    for (Map.Entry<String, String> label : new TreeMap<>(labels).entrySet()) {
      if (text.length() > 0) {
        text.append(',');
      }
      escape(label.getKey(), text);
      text.append('=');
      escape(label.getValue(), text);
    }
    return text.toString();
  }

  /**
   * The pairs of a tag string, in its order, escapes undone (a backslash before anything else stays,
   * as in native tags like {@code mount=/media/a\040b}); a part without {@code =} is left out.
   */
  public static Map<String, String> parse(String tags) {
    Map<String, String> pairs = new LinkedHashMap<>();
    StringBuilder key = new StringBuilder();
    StringBuilder value = new StringBuilder();
    StringBuilder current = key;
    boolean sawEquals = false;
    for (int i = 0; i <= tags.length(); i++) {
      char c = i < tags.length() ? tags.charAt(i) : ',';
      if (c == '\\' && i + 1 < tags.length() && "\\,=".indexOf(tags.charAt(i + 1)) >= 0) {
        current.append(tags.charAt(++i));
      } else if (c == ',') {
        if (sawEquals && key.length() > 0) {
          pairs.put(key.toString(), value.toString());
        }
        key.setLength(0);
        value.setLength(0);
        current = key;
        sawEquals = false;
      } else if (c == '=' && !sawEquals) {
        sawEquals = true;
        current = value;
      } else {
        current.append(c);
      }
    }
    return pairs;
  }

  private static void escape(String part, StringBuilder out) {
    for (int i = 0; i < part.length(); i++) {
      char c = part.charAt(i);
      if (c == '\\' || c == ',' || c == '=') {
        out.append('\\');
      }
      out.append(c);
    }
  }

  /** Commas and equals signs would make the tag string ambiguous; they become underscores. */
  private static String clean(String part) {
    return part.replace(',', '_').replace('=', '_');
  }
}
