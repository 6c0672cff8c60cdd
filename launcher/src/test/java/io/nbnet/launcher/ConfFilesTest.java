package io.nbnet.launcher;

import io.vertx.core.json.JsonObject;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;
import org.junit.jupiter.api.DisplayName;

import java.nio.file.Files;
import java.nio.file.Path;

import static org.junit.jupiter.api.Assertions.assertFalse;

class ConfFilesTest {

  @ParameterizedTest(name = "conf/{0}")
  @ValueSource(strings = {"collector.json", "trans.json", "saver.json", "all-in-one.json", "demo.json"})
  @DisplayName("the configurations shipped in conf/ are valid")
  void areValid(String file) throws Exception {
    NbnetConfig config = NbnetConfig.parse(new JsonObject(Files.readString(Path.of("../conf", file))));
    assertFalse(config.components().isEmpty());
  }
}
