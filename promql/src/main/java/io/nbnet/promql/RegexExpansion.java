package io.nbnet.promql;

/**
 * Go's {@code Regexp.ExpandString}: {@code $1}, {@code ${1}}, {@code $name}, {@code ${name}} stand for
 * groups (a missing one for nothing), {@code $$} for a dollar; a name runs as far as letters, digits
 * and underscores go, so {@code $1x} is the group named {@code 1x}. {@code label_replace} expands with it,
 * and so do the rules' templates ({@code reReplaceAll}).
 */
public final class RegexExpansion {

  private RegexExpansion() {
  }

  public static String expand(String template, com.google.re2j.Matcher match) {
    StringBuilder out = new StringBuilder();
    int i = 0;
    while (i < template.length()) {
      char c = template.charAt(i);
      if (c != '$' || i + 1 >= template.length()) {
        out.append(c);
        i++;
        continue;
      }
      char next = template.charAt(i + 1);
      if (next == '$') {
        out.append('$');
        i += 2;
        continue;
      }
      String name;
      int end;
      if (next == '{') {
        int close = template.indexOf('}', i + 2);
        name = close < 0 ? null : template.substring(i + 2, close);
        if (name == null || name.isEmpty() || !isName(name)) {
          out.append(c);
          i++;
          continue;
        }
        end = close + 1;
      } else {
        end = i + 1;
        while (end < template.length() && isNameChar(template.charAt(end))) {
          end++;
        }
        if (end == i + 1) {
          out.append(c);
          i++;
          continue;
        }
        name = template.substring(i + 1, end);
      }
      out.append(group(match, name));
      i = end;
    }
    return out.toString();
  }

  private static String group(com.google.re2j.Matcher match, String name) {
    String value = null;
    if (name.chars().allMatch(Character::isDigit)) {
      try {
        int index = Integer.parseInt(name);
        value = index <= match.groupCount() ? match.group(index) : null;
      } catch (NumberFormatException tooLarge) {
        value = null;
      }
    } else {
      try {
        value = match.group(name);
      } catch (IllegalArgumentException noSuchGroup) {
        value = null;
      }
    }
    return value == null ? "" : value;
  }

  private static boolean isName(String name) {
    return name.chars().allMatch(c -> isNameChar((char) c));
  }

  private static boolean isNameChar(char c) {
    return c == '_' || Character.isLetterOrDigit(c) && c < 128;
  }
}
