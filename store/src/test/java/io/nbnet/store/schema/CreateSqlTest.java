package io.nbnet.store.schema;

import io.nbnet.store.tables.StorageLayout;
import org.junit.jupiter.api.DisplayName;
import org.junit.jupiter.api.Test;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;

import static org.junit.jupiter.api.Assertions.assertEquals;

class CreateSqlTest {

  static final Path CREATE_SQL = Path.of("../deploy/create.sql");

  /** The statements of deploy/create.sql, comments dropped and line breaks (inserted only where the DDL has none) removed. */
  static List<String> statements() throws IOException {
    StringBuilder text = new StringBuilder();
    for (String line : Files.readAllLines(CREATE_SQL)) {
      if (!line.startsWith("--")) {
        text.append(line).append('\n');
      }
    }
    return Arrays.stream(text.toString().split(";\n")).map(String::strip).filter(s -> !s.isEmpty())
      .map(s -> s.replaceAll("\n\\s*", "")).toList();
  }

  static List<String> saverStatements() {
    List<String> expected = new ArrayList<>(List.of(Schema.createDatabase("nbnet"), "USE `nbnet`"));
    expected.addAll(Schema.statements(StorageLayout.mariaDb("samples_")));
    return expected;
  }

  @Test
  @DisplayName("deploy/create.sql holds exactly the DDL the saver runs with the default configuration")
  void matchesTheSaver() throws IOException {
    assertEquals(saverStatements(), statements());
  }

  /** One column or key per line; breaks go only where the DDL has no whitespace, so reading removes them exactly. */
  private static String layout(String statement) {
    if (!statement.startsWith("CREATE TABLE")) {
      return statement;
    }
    return statement.replaceFirst(" \\(`", " (\n  `")
      .replace(",`", ",\n  `")
      .replace(",PRIMARY KEY", ",\n  PRIMARY KEY")
      .replace(",KEY", ",\n  KEY")
      .replace(",UNIQUE KEY", ",\n  UNIQUE KEY")
      .replace(") ENGINE", "\n) ENGINE")
      .replace("(PARTITION ", "(\n  PARTITION ")
      .replace(",PARTITION ", ",\n  PARTITION ");
  }

  /** Writes deploy/create.sql from the saver's DDL: {@code mvn -pl saver-verticle test -Dtest=CreateSqlTest -Dnbnet.writeCreateSql}. */
  @Test
  @DisplayName("(maintenance) rewrites deploy/create.sql when asked to")
  void writeWhenAsked() throws IOException {
    if (System.getProperty("nbnet.writeCreateSql") == null) {
      return;
    }
    StringBuilder sql = new StringBuilder();
    for (String line : Files.readAllLines(CREATE_SQL)) {
      if (!line.startsWith("--")) {
        break;
      }
      sql.append(line).append('\n');
    }
    for (String statement : saverStatements()) {
      sql.append('\n').append(layout(statement)).append(";\n");
    }
    Files.writeString(CREATE_SQL, sql.toString());
  }
}
