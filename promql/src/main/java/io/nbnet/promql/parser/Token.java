package io.nbnet.promql.parser;

/** One token: its type, its text as written, and where it starts in the query. */
record Token(TokenType type, String text, int pos) {
}
