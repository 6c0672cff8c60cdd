package io.nbnet.support.logging;

import org.junit.jupiter.api.DisplayName;
import org.junit.jupiter.api.Test;

import java.util.logging.Level;
import java.util.logging.LogRecord;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;

class OneLineLoggingTest {

  @Test
  @DisplayName("control characters a peer sent are escaped: one record stays one line")
  void escapesControlCharacters() {
    assertEquals("host\\n2026-11-28 forged\\r\\t\\x00end", OneLineLogging.escape("host\n2026-11-28 forged\r\t\u0000end"));
    assertEquals("plain text stays", OneLineLogging.escape("plain text stays"));
    String line = new OneLineLogging.EscapingFormatter().format(new LogRecord(Level.WARNING, "bad header from x\nINFO fake"));
    assertFalse(line.strip().contains("\n"), line);
  }
}
