package io.nbnet.launcher.tools;

import io.nbnet.rules.RuleFiles;
import io.nbnet.rules.RuleUnitTests;
import picocli.CommandLine;
import picocli.CommandLine.Command;
import picocli.CommandLine.Parameters;

import java.nio.file.Path;
import java.util.List;
import java.util.concurrent.Callable;

/**
 * {@code ./nbnet rules check FILES} and {@code ./nbnet rules test FILES}: Prometheus rule files checked and
 * their unit tests run, as {@code promtool check rules} and {@code promtool test rules} do (exit 1 on failure).
 */
@Command(name = "nbnet rules", mixinStandardHelpOptions = true, subcommands = {RulesTool.Check.class, RulesTool.Test.class},
  description = "Check Prometheus rule files, or run their unit tests.")
public final class RulesTool implements Runnable {

  public static void main(String[] args) {
    System.exit(new CommandLine(new RulesTool()).execute(args));
  }

  @Override
  public void run() {
    CommandLine.usage(this, System.out);
  }

  @Command(name = "check", mixinStandardHelpOptions = true,
    description = "Checks rule files: YAML fields, expressions, names, and templates within the subset nbnet renders.")
  static final class Check implements Callable<Integer> {

    @Parameters(paramLabel = "FILE", arity = "1..*", description = "rule files")
    List<Path> files;

    @Override
    public Integer call() {
      boolean failed = false;
      for (Path file : files) {
        System.out.println("Checking " + file);
        RuleFiles.Loaded loaded = RuleFiles.load(file);
        if (loaded.ok()) {
          System.out.println("  SUCCESS: " + loaded.ruleCount() + " rules found");
        } else {
          failed = true;
          System.err.println("  FAILED:");
          loaded.errors().forEach(System.err::println);
        }
        System.out.println();
      }
      return failed ? 1 : 0;
    }
  }

  @Command(name = "test", mixinStandardHelpOptions = true,
    description = "Runs rule unit-test files in Prometheus's format (rule_files, evaluation_interval, input_series, "
      + "alert_rule_test, promql_expr_test).")
  static final class Test implements Callable<Integer> {

    @Parameters(paramLabel = "FILE", arity = "1..*", description = "unit-test files")
    List<Path> files;

    @Override
    public Integer call() {
      return RuleUnitTests.run(files, System.out, System.err) ? 0 : 1;
    }
  }
}
