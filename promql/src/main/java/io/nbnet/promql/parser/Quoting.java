package io.nbnet.promql.parser;

/** PromQL's string literals: {@code "..."} and {@code '...'} with Go's escapes, {@code `...`} raw. */
final class Quoting {

  private Quoting() {
  }

  static String unquote(String quoted) {
    char quote = quoted.charAt(0);
    String body = quoted.substring(1, quoted.length() - 1);
    if (quote == '`') {
      return body;
    }
    StringBuilder out = new StringBuilder(body.length());
    for (int i = 0; i < body.length(); i++) {
      char c = body.charAt(i);
      if (c != '\\') {
        out.append(c);
        continue;
      }
      char escape = body.charAt(++i);
      switch (escape) {
        case 'a' -> out.append('\u0007');
        case 'b' -> out.append('\b');
        case 'f' -> out.append('\f');
        case 'n' -> out.append('\n');
        case 'r' -> out.append('\r');
        case 't' -> out.append('\t');
        case 'v' -> out.append('\u000b');
        case '\\', '\'', '"' -> out.append(escape);
        case 'x' -> {
          out.append((char) Integer.parseInt(body.substring(i + 1, i + 3), 16));
          i += 2;
        }
        case 'u' -> {
          out.appendCodePoint(Integer.parseInt(body.substring(i + 1, i + 5), 16));
          i += 4;
        }
        case 'U' -> {
          out.appendCodePoint(Integer.parseInt(body.substring(i + 1, i + 9), 16));
          i += 8;
        }
        default -> {
          if (escape >= '0' && escape <= '7') {
            out.append((char) Integer.parseInt(body.substring(i, i + 3), 8));
            i += 2;
          } else {
            throw new IllegalArgumentException("invalid syntax");
          }
        }
      }
    }
    return out.toString();
  }
}
