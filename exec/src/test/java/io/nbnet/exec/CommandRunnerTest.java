package io.nbnet.exec;

import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.DisplayName;
import org.junit.jupiter.api.Test;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ThreadLocalRandom;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** Real processes, started the way the exec service starts them. */
class CommandRunnerTest {

  private final CommandRunner runner = new CommandRunner();

  @AfterEach
  void close() {
    runner.close();
  }

  @Test
  @DisplayName("a command's exit code, stdout, stderr and duration come back; argv is not parsed by a shell")
  void reportsOutputAndExitCode() {
    CommandResult result = runner.run(CommandRequest.of(List.of("printf", "%s|", "a b", "$HOME;"), 5_000, 1024));
    assertEquals(0, result.exitCode());
    assertEquals("a b|$HOME;|", result.stdout());
    assertTrue(result.succeeded());
    assertFalse(result.timedOut());
    assertNull(result.error());
  }

  @Test
  @DisplayName("a non-zero exit is reported as such, with stderr")
  void reportsNonZeroExit() {
    CommandResult result = runner.run(new CommandRequest(List.of("echo broken >&2; exit 3"), true, null, Map.of(), 5_000, 1024));
    assertEquals(3, result.exitCode());
    assertEquals("broken\n", result.stderr());
    assertFalse(result.succeeded());
  }

  @Test
  @DisplayName("a missing command or working directory gives a clear error")
  void reportsMissingCommand() {
    CommandResult missing = runner.run(CommandRequest.of(List.of("no-such-command-nbnet"), 5_000, 1024));
    assertEquals("command not found: no-such-command-nbnet", missing.error());
    assertEquals(-1, missing.exitCode());
    CommandResult badDirectory = runner.run(new CommandRequest(List.of("true"), false, "/no/such/dir", Map.of(), 5_000, 1024));
    assertEquals("working directory /no/such/dir does not exist", badDirectory.error());
  }

  @Test
  @DisplayName("the environment and working directory of the request apply")
  void appliesEnvironmentAndDirectory() {
    CommandResult result = runner.run(new CommandRequest(List.of("echo \"$NBNET_TEST_VALUE $(pwd)\""), true, "/tmp",
      Map.of("NBNET_TEST_VALUE", "42"), 5_000, 1024));
    assertEquals("42 /tmp\n", result.stdout());
  }

  @Test
  @DisplayName("a timeout kills the whole process group: background children die too")
  void timeoutKillsTheGroup() throws Exception {
    // a unique sleep duration marks this test's processes
    String marker = "100." + ThreadLocalRandom.current().nextInt(100_000, 999_999);
    CommandRequest request = new CommandRequest(List.of("sleep " + marker + " & sleep " + marker + " & echo started; wait"),
      true, null, Map.of(), 500, 1024);
    long start = System.nanoTime();
    CommandResult result = runner.run(request);
    assertTrue(result.timedOut());
    assertEquals("started\n", result.stdout());
    assertTrue(System.nanoTime() - start < 5_000_000_000L, "killed within the grace period");
    assertEquals("", pgrep("sleep " + marker), "no process of the group is left");
  }

  @Test
  @DisplayName("what a command leaves running in its group ends with it; the command's own exit code stands")
  void leftoversEndWithTheCommand() throws Exception {
    String marker = "100." + ThreadLocalRandom.current().nextInt(100_000, 999_999);
    long start = System.nanoTime();
    CommandResult result = runner.run(new CommandRequest(List.of("sleep " + marker + " & echo parent done; exit 4"), true, null,
      Map.of(), 5_000, 1024));
    assertFalse(result.timedOut());
    assertEquals(4, result.exitCode());
    assertEquals("parent done\n", result.stdout());
    assertTrue(System.nanoTime() - start < 2_000_000_000L, "not held up by the background child");
    assertEquals("", pgrep("sleep " + marker));
  }

  @Test
  @DisplayName("output past the limit is read and dropped: 'yes' stays at the limit and the result says truncated")
  void capsOutput() {
    Runtime runtime = Runtime.getRuntime();
    long usedBefore = runtime.totalMemory() - runtime.freeMemory();
    CommandResult result = runner.run(CommandRequest.of(List.of("yes"), 1_000, 64 * 1024));
    assertTrue(result.truncated());
    assertTrue(result.timedOut());
    assertEquals(64 * 1024, result.stdout().length());
    long grown = runtime.totalMemory() - runtime.freeMemory() - usedBefore;
    assertTrue(grown < 256L * 1024 * 1024, "heap grew by " + grown + " bytes while yes wrote for a second");
  }

  private static String pgrep(String pattern) throws IOException, InterruptedException {
    Process pgrep = new ProcessBuilder("pgrep", "-f", pattern).start();
    String output = new String(pgrep.getInputStream().readAllBytes(), StandardCharsets.UTF_8).trim();
    pgrep.waitFor();
    return output;
  }
}
