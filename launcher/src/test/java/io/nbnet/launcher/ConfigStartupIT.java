package io.nbnet.launcher;

import org.awaitility.core.ConditionTimeoutException;
import org.junit.jupiter.api.DisplayName;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;

import static org.awaitility.Awaitility.await;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** Starts the shaded jar as a real process, the way ./nbnet run does. */
class ConfigStartupIT {

  private static final String JAR = System.getProperty("nbnet.jar", "target/nbnet.jar");

  @TempDir
  Path folder;

  record Outcome(int exitCode, String output) {
  }

  @Test
  @DisplayName("an unknown component name stops start-up with a message naming it")
  void refusesUnknownComponent() throws Exception {
    Outcome outcome = runWith("{\"components\": [\"colector\"]}");
    assertNotEquals(0, outcome.exitCode());
    assertTrue(outcome.output().contains("unknown component \"colector\" (known: saver, trans, collector)"), outcome.output());
  }

  @Test
  @DisplayName("a malformed file stops start-up with the JSON error")
  void refusesMalformedFile() throws Exception {
    Outcome outcome = runWith("{\"components\": [\"saver\"],");
    assertNotEquals(0, outcome.exitCode());
    assertTrue(outcome.output().contains("not a valid JSON object"), outcome.output());
  }

  @Test
  @DisplayName("a bad value stops start-up with the dotted path of its key")
  void refusesBadValue() throws Exception {
    Outcome outcome = runWith("{\"components\": [\"saver\"], \"saver\": {\"mysql\": {\"port\": \"3306\"}}}");
    assertNotEquals(0, outcome.exitCode());
    assertTrue(outcome.output().contains("saver.mysql.port: expected an integer from 1 to 65535, got the string \"3306\""), outcome.output());
  }

  @Test
  @DisplayName("a missing file or a missing -conf stops start-up and says so")
  void refusesMissingConfig() throws Exception {
    Outcome missingFile = run("-conf", folder.resolve("absent.json").toString());
    assertNotEquals(0, missingFile.exitCode());
    assertTrue(missingFile.output().contains("absent.json: no such file"), missingFile.output());
    Outcome noConf = run();
    assertNotEquals(0, noConf.exitCode());
    assertTrue(noConf.output().contains("no configuration given"), noConf.output());
  }

  @Test
  @DisplayName("a valid configuration starts the named component from the shaded jar")
  void startsFromTheJar() throws Exception {
    Path config = folder.resolve("trans.json");
    Files.writeString(config, "{\"components\": [\"trans\"], \"trans\": {\"host\": \"127.0.0.1\", \"port\": 0}}");
    Process process = start("-conf", config.toString());
    try {
      String output = readUntil(process, "Succeeded in deploying verticle", 30);
      assertTrue(output.matches("(?s).*trans listening on 127\\.0\\.0\\.1:[1-9][0-9]*.*"), output);
    } finally {
      process.destroy();
      assertTrue(process.waitFor(30, TimeUnit.SECONDS), "stops on SIGTERM");
    }
  }

  private Outcome runWith(String configText) throws Exception {
    Path config = folder.resolve("config.json");
    Files.writeString(config, configText);
    return run("-conf", config.toString());
  }

  private Outcome run(String... args) throws Exception {
    Process process = start(args);
    if (!process.waitFor(60, TimeUnit.SECONDS)) {
      process.destroyForcibly();
      throw new AssertionError("the process did not stop within 60 s");
    }
    return new Outcome(process.exitValue(), new String(process.getInputStream().readAllBytes(), StandardCharsets.UTF_8));
  }

  private Process start(String... args) throws IOException {
    List<String> command = new ArrayList<>(List.of(Path.of(System.getProperty("java.home"), "bin", "java").toString(), "-jar", JAR));
    command.addAll(List.of(args));
    return new ProcessBuilder(command).redirectErrorStream(true).start();
  }

  /** The process's output until it prints {@code marker}, exits, or {@code seconds} pass. */
  private static String readUntil(Process process, String marker, int seconds) {
    StringBuilder output = new StringBuilder();
    var in = process.getInputStream();
    try {
      await().atMost(seconds, TimeUnit.SECONDS).pollInterval(50, TimeUnit.MILLISECONDS).until(() -> {
        if (in.available() > 0) {
          output.append(new String(in.readNBytes(in.available()), StandardCharsets.UTF_8));
        }
        return output.toString().contains(marker) || !process.isAlive() && in.available() == 0;
      });
    } catch (ConditionTimeoutException e) {
      // the caller's assertion says what was missing, with the output so far
    }
    return output.toString();
  }

}
