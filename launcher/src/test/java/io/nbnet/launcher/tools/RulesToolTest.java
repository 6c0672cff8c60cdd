package io.nbnet.launcher.tools;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import picocli.CommandLine;

import java.nio.file.Files;
import java.nio.file.Path;

import static org.junit.jupiter.api.Assertions.assertEquals;

/** The command's exit status is its verdict, as promtool's: scripts and CI gate on it. */
class RulesToolTest {

  private static final Path SHIPPED = Path.of("../conf/rules");

  @Test
  void shippedRulesPassTheirCheckAndTests() {
    assertEquals(0, new CommandLine(new RulesTool()).execute("check", SHIPPED.resolve("nbnet-host.yml").toString()));
    assertEquals(0, new CommandLine(new RulesTool()).execute("test", SHIPPED.resolve("tests/nbnet-host.test.yml").toString()));
  }

  @Test
  void aBadFileExitsWithOne(@TempDir Path folder) throws Exception {
    Path bad = Files.writeString(folder.resolve("bad.yml"), "groups:\n  - name: g\n    rules:\n      - alert: A\n        expr: up ==\n");
    assertEquals(1, new CommandLine(new RulesTool()).execute("check", bad.toString()));
    Path test = Files.writeString(folder.resolve("bad.test.yml"), "rule_files: [bad.yml]\ntests:\n  - interval: 1m\n");
    assertEquals(1, new CommandLine(new RulesTool()).execute("test", test.toString()));
  }
}
