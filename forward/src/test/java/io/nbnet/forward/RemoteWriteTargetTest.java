package io.nbnet.forward;

import io.nbnet.support.config.ConfigException;
import io.nbnet.support.config.ConfigView;
import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import org.junit.jupiter.api.DisplayName;
import org.junit.jupiter.api.Test;

import java.util.List;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

class RemoteWriteTargetTest {

  private static List<RemoteWriteTarget> targets(JsonObject... targets) {
    JsonArray list = new JsonArray();
    for (JsonObject target : targets) {
      list.add(target);
    }
    return RemoteWriteTarget.listFrom(ConfigView.of(new JsonObject().put("remoteWrite", new JsonObject().put("targets", list)), "trans"));
  }

  @Test
  @DisplayName("a target's defaults: named by host and port, host label host, spool-less memory queue; credentials become one header")
  void defaults() {
    RemoteWriteTarget target = targets(new JsonObject().put("url", "https://vm.example:8428/api/v1/write").put("bearerToken", "s3cret"))
      .get(0);
    assertEquals("vm.example:8428", target.name());
    assertEquals("host", target.hostLabel());
    assertEquals(10_000, target.maxMemoryFrames());
    assertEquals("Bearer s3cret", target.authorization().orElseThrow());
    assertFalse(target.toString().contains("s3cret"), target.toString());
    RemoteWriteTarget basic = targets(new JsonObject().put("url", "http://mimir:9009/api/v1/push")
      .put("basicAuth", new JsonObject().put("username", "u").put("password", "p"))).get(0);
    assertEquals("Basic dTpw", basic.authorization().orElseThrow());
  }

  @Test
  @DisplayName("refused: credentials in the url (never shown), both kinds of credentials, two targets of one name, the name savers, "
    + "memory in front of a spool")
  void refusals() {
    ConfigException inUrl = assertThrows(ConfigException.class, () -> targets(new JsonObject().put("url", "http://admin:hunter2@vm:8428/")));
    assertFalse(inUrl.getMessage().contains("hunter2"), inUrl.getMessage());
    // a host name java.net.URI does not take as one (the underscore): the URL has no host, and still no error shows the password
    ConfigException oddHost = assertThrows(ConfigException.class,
      () -> targets(new JsonObject().put("url", "http://admin:hunter2@prom_server:9090/api/v1/write")));
    assertFalse(oddHost.getMessage().contains("hunter2"), oddHost.getMessage());
    assertThrows(ConfigException.class, () -> targets(new JsonObject().put("url", "http://vm:8428/").put("name", "savers")));
    assertThrows(ConfigException.class, () -> targets(new JsonObject().put("url", "http://vm:8428/").put("queue", new JsonObject()
      .put("maxMemoryFrames", 100).put("spool", new JsonObject().put("dir", "/tmp/nbnet-never-made")))));
    assertThrows(ConfigException.class, () -> targets(new JsonObject().put("url", "http://vm:8428/").put("bearerToken", "a")
      .put("basicAuth", new JsonObject().put("username", "u"))));
    ConfigException twice = assertThrows(ConfigException.class, () -> targets(new JsonObject().put("url", "http://vm:8428/"),
      new JsonObject().put("url", "http://vm:8428/other")));
    assertTrue(twice.getMessage().contains("vm:8428"), twice.getMessage());
  }
}
