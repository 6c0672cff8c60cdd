package io.nbnet.rules.template;

import com.google.re2j.Matcher;
import com.google.re2j.Pattern;

/** Go's {@code regexp.ReplaceAllString}: {@code $1}, {@code ${1}} and {@code $name} expand as Go's {@code Expand} does. */
final class GoRegexp {

  private GoRegexp() {
  }

  static String replaceAll(Pattern pattern, String text, String template) {
    Matcher matcher = pattern.matcher(text);
    StringBuilder out = new StringBuilder();
    int lastMatchEnd = 0;
    int searchPos = 0;
    while (searchPos <= text.length() && matcher.find(searchPos)) {
      out.append(text, lastMatchEnd, matcher.start());
      // not for an empty match right after another match (Go's rule: no double replacement)
      if (matcher.end() > lastMatchEnd || matcher.start() == 0) {
        expand(matcher, template, out);
      }
      lastMatchEnd = matcher.end();
      int width = searchPos < text.length() ? Character.charCount(text.codePointAt(searchPos)) : 0;
      if (searchPos + width > matcher.end()) {
        searchPos += width;
      } else if (searchPos + 1 > matcher.end()) {
        searchPos++;
      } else {
        searchPos = matcher.end();
      }
    }
    out.append(text, Math.min(lastMatchEnd, text.length()), text.length());
    return out.toString();
  }

  private static void expand(Matcher matcher, String template, StringBuilder out) {
    int i = 0;
    while (i < template.length()) {
      char c = template.charAt(i);
      if (c != '$' || i + 1 >= template.length()) {
        out.append(c);
        i++;
        continue;
      }
      if (template.charAt(i + 1) == '$') {
        out.append('$');
        i += 2;
        continue;
      }
      String name;
      int end;
      if (template.charAt(i + 1) == '{') {
        int close = template.indexOf('}', i + 2);
        name = close < 0 ? null : template.substring(i + 2, close);
        end = close + 1;
        if (name == null || name.isEmpty() || !name.chars().allMatch(ch -> Character.isLetterOrDigit(ch) || ch == '_')) {
          out.append(c);
          i++;
          continue;
        }
      } else {
        end = i + 1;
        while (end < template.length() && (Character.isLetterOrDigit(template.charAt(end)) || template.charAt(end) == '_')) {
          end++;
        }
        if (end == i + 1) {
          out.append(c);
          i++;
          continue;
        }
        name = template.substring(i + 1, end);
      }
      String value = group(matcher, name);
      if (value != null) {
        out.append(value);
      }
      i = end;
    }
  }

  private static String group(Matcher matcher, String name) {
    if (name.chars().allMatch(Character::isDigit)) {
      try {
        int index = Integer.parseInt(name);
        return index <= matcher.groupCount() ? matcher.group(index) : null;
      } catch (NumberFormatException e) {
        return null;
      }
    }
    try {
      return matcher.group(name);
    } catch (IllegalArgumentException e) {
      return null;
    }
  }
}
