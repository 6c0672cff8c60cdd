package io.nbnet.rules;

import io.nbnet.rules.unittest.UnitTestRunner;

import java.io.PrintStream;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;

/**
 * {@code nbnet rules test}: Prometheus's rule unit-test files, run and reported as {@code promtool test rules}
 * runs and reports them; the same files give the same verdicts.
 */
public final class RuleUnitTests {

  private RuleUnitTests() {
  }

  /** One file's failures (empty when it passes); warnings (a rule-file pattern that matched nothing) are added to {@code warnings}. */
  public static List<String> run(Path file, List<String> warnings) {
    return UnitTestRunner.run(file, warnings);
  }

  /** Every file, reported as promtool reports them; true when all passed. */
  public static boolean run(List<Path> files, PrintStream out, PrintStream err) {
    boolean passed = true;
    for (Path file : files) {
      out.println("Unit Testing:  " + file);
      List<String> warnings = new ArrayList<>();
      List<String> failures = run(file, warnings);
      warnings.forEach(err::println);
      if (failures.isEmpty()) {
        out.println("  SUCCESS");
      } else {
        err.println("  FAILED:");
        failures.forEach(failure -> {
          err.println(failure);
          out.println();
        });
        passed = false;
      }
      out.println();
    }
    return passed;
  }
}
