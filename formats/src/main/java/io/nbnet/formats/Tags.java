package io.nbnet.formats;

import java.util.Map;
import java.util.TreeMap;

/** Canonical tag strings: {@code key=value} pairs sorted by key, joined by commas. */
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

  /** Commas and equals signs would make the tag string ambiguous; they become underscores. */
  private static String clean(String part) {
    return part.replace(',', '_').replace('=', '_');
  }
}
