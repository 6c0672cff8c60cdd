package io.nbnet.rules.template;

import com.google.re2j.Matcher;
import com.google.re2j.Pattern;
import io.nbnet.promql.RegexExpansion;

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
        out.append(RegexExpansion.expand(template, matcher));
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
}
