package io.nbnet.support.config;

import io.vertx.core.json.JsonObject;
import org.junit.jupiter.api.DisplayName;
import org.junit.jupiter.api.Test;

import java.util.List;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

class ConfigViewTest {

  private final ConfigView saver = ConfigView.of(new JsonObject("{\"port\":\"x\",\"mysql\":{\"port\":70000},\"list\":[1]}"), "saver");

  @Test
  @DisplayName("errors name the full dotted path of the bad key and what was wrong")
  void namesTheBadKey() {
    assertEquals("saver.port: expected an integer from 0 to 65535, got the string \"x\"",
      assertThrows(ConfigException.class, () -> saver.integer("port", 1, 0, 65535)).getMessage());
    assertEquals("saver.mysql.port: expected an integer from 1 to 65535, got 70000",
      assertThrows(ConfigException.class, () -> saver.section("mysql").integer("port", 1, 1, 65535)).getMessage());
    assertEquals("saver.list: expected an array of strings, found 1",
      assertThrows(ConfigException.class, () -> saver.strings("list", List.of())).getMessage());
  }

  @Test
  @DisplayName("a key no read asked for is refused instead of silently ignored, in nested sections too")
  void refusesUnknownKeys() {
    ConfigException top = assertThrows(ConfigException.class, () -> ConfigView.parse(
      new JsonObject("{\"port\":1,\"mysql\":{},\"list\":[1]}"), "saver", view -> {
        view.integer("port", 0, 0, 65535);
        return view.section("mysql");
      }));
    assertEquals("saver.list: unknown key (known keys here: port, mysql)", top.getMessage());
    ConfigException nested = assertThrows(ConfigException.class, () -> ConfigView.parse(
      new JsonObject("{\"mysql\":{\"prot\":3306}}"), "saver", view -> view.section("mysql").integer("port", 3306, 1, 65535)));
    assertEquals("saver.mysql.prot: unknown key (known keys here: port)", nested.getMessage());
  }

  @Test
  @DisplayName("a secret's value never appears in an error")
  void hidesSecrets() {
    ConfigView mysql = ConfigView.of(new JsonObject("{\"password\":987654321}"), "saver.mysql");
    ConfigException e = assertThrows(ConfigException.class, () -> mysql.secret("password"));
    assertEquals("saver.mysql.password: expected a string (the value is not shown: it is a secret)", e.getMessage());
  }

  @Test
  @DisplayName("missing keys take their defaults")
  void usesDefaults() {
    assertEquals(7, saver.integer("absent", 7, 0, 10));
    assertEquals("d", saver.string("absent", "d"));
    assertEquals(new Endpoint("127.0.0.1", 50001), Endpoint.parse("127.0.0.1:50001", "x"));
  }
}
