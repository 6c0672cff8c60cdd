package io.nbnet.rules;

import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.DynamicTest;
import org.junit.jupiter.api.TestFactory;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;
import java.util.stream.Stream;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

/**
 * The same files give the same verdicts under nbnet and under the real {@code promtool} of Prometheus 2.42
 * (Debian's {@code prometheus} package): every shipped unit-test file ({@code conf/rules/tests}), test files made
 * to pass and to fail ({@code parity/}, the failing ones named {@code fail-*}), and rule files good and
 * bad ({@code check/}). Each file's intended verdict is asserted too, so both tools cannot agree on a wrong one.
 */
class PromtoolParityTest {

  private static final Path PROMTOOL = Path.of("/usr/bin/promtool");
  private static final Path SHIPPED = Path.of("../conf/rules");
  private static final Path PARITY = Path.of("src/test/resources/parity");
  private static final Path CHECK = Path.of("src/test/resources/check");

  @BeforeAll
  static void promtoolIsHere() {
    assumeTrue(Files.isExecutable(PROMTOOL), "Prometheus 2.42's promtool is not installed (apt-get install prometheus)");
  }

  @TestFactory
  Stream<DynamicTest> unitTestFiles() throws IOException {
    List<Path> files = new ArrayList<>(list(SHIPPED.resolve("tests"), ".test.yml"));
    assertTrue(!files.isEmpty(), "the shipped rules have unit tests in " + SHIPPED.toAbsolutePath());
    files.addAll(list(PARITY, ".test.yml"));
    return files.stream().map(file -> DynamicTest.dynamicTest(file.toString(), () -> {
      boolean intended = !file.getFileName().toString().startsWith("fail-");
      boolean promtool = promtool(file, "test", "rules");
      ByteArrayOutputStream out = new ByteArrayOutputStream();
      boolean nbnet = RuleUnitTests.run(List.of(file), new PrintStream(out, true, StandardCharsets.UTF_8),
        new PrintStream(out, true, StandardCharsets.UTF_8));
      assertEquals(promtool, nbnet, "promtool and nbnet disagree on " + file + "; nbnet said:\n" + out.toString(StandardCharsets.UTF_8));
      assertEquals(intended, nbnet, file + " should " + (intended ? "pass" : "fail") + "; nbnet said:\n" + out.toString(StandardCharsets.UTF_8));
    }));
  }

  @TestFactory
  Stream<DynamicTest> ruleFiles() throws IOException {
    List<Path> files = new ArrayList<>(list(SHIPPED, ".yml").stream().filter(f -> !f.toString().endsWith(".test.yml")).toList());
    files.addAll(list(CHECK, ".yml"));
    return files.stream().map(file -> DynamicTest.dynamicTest(file.toString(), () -> {
      boolean intended = !file.getFileName().toString().startsWith("bad-");
      RuleFiles.Loaded loaded = RuleFiles.load(file);
      assertEquals(promtool(file, "check", "rules"), loaded.ok(), "promtool and nbnet disagree on " + file + ": " + loaded.errors());
      assertEquals(intended, loaded.ok(), file + ": " + loaded.errors());
      loaded.errors().forEach(error -> assertTrue(error.startsWith(file + ": "), "an error names its file: " + error));
    }));
  }

  private static List<Path> list(Path folder, String suffix) throws IOException {
    try (Stream<Path> files = Files.list(folder)) {
      return files.filter(f -> f.getFileName().toString().endsWith(suffix)).sorted().toList();
    }
  }

  /** promtool's verdict (exit 0) on one file, run where the file lies as an operator would run it. */
  private static boolean promtool(Path file, String... command) throws Exception {
    List<String> args = new ArrayList<>(List.of(PROMTOOL.toString()));
    args.addAll(List.of(command));
    args.add(file.getFileName().toString());
    Process process = new ProcessBuilder(args).directory(file.toAbsolutePath().getParent().toFile()).redirectErrorStream(true)
      .redirectOutput(ProcessBuilder.Redirect.DISCARD).start();
    assertTrue(process.waitFor(60, TimeUnit.SECONDS), "promtool ended within 60 s on " + file);
    return process.exitValue() == 0;
  }
}
