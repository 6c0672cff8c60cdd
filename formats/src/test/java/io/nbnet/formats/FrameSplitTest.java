package io.nbnet.formats;

import io.nbnet.formats.nb1.NativeFormat;
import io.vertx.core.buffer.Buffer;
import org.junit.jupiter.api.DisplayName;
import org.junit.jupiter.api.Test;

import java.util.List;
import java.util.Map;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertSame;
import static org.junit.jupiter.api.Assertions.assertThrows;

class FrameSplitTest {

  @Test
  @DisplayName("a frame of one host stays the same bytes")
  void oneHostUnchanged() {
    Buffer frame = NativeFormat.encode("src", 7, List.of(Sample.numeric("web1", 1_000, "cpu.idle", "", 90), Sample.numeric("web1", 1_000, "mem.used", "", 5)));
    Map<String, Buffer> parts = FrameSplit.byHost(frame);
    assertEquals(List.of("web1"), List.copyOf(parts.keySet()));
    assertSame(frame, parts.get("web1"));
  }

  @Test
  @DisplayName("a frame of several hosts becomes one native frame per host, every sample in its host's frame")
  void severalHostsSplit() {
    Sample a1 = Sample.numeric("a", 1_000, "cpu.idle", "", 1);
    Sample b1 = Sample.numeric("b", 1_000, "cpu.idle", "", 2);
    Sample a2 = Sample.numeric("a", 2_000, "cpu.idle", "", 3);
    Map<String, Buffer> parts = FrameSplit.byHost(NativeFormat.encode("relay", 3, List.of(a1, b1, a2)));
    assertEquals(List.of("a", "b"), List.copyOf(parts.keySet()), "hosts in the order they first appear");
    assertEquals(List.of(a1, a2), NativeFormat.decode(parts.get("a")).samples());
    assertEquals(List.of(b1), NativeFormat.decode(parts.get("b")).samples());
    assertEquals("relay", NativeFormat.decode(parts.get("b")).source());
  }

  @Test
  @DisplayName("a legacy agent's message is one host's, kept as it came; garbage is refused")
  void legacyAndGarbage() {
    Buffer legacy = Buffer.buffer("{\"Host\":\"old-agent\",\"Time\":1700000000,\"MemUsage\":12}");
    assertSame(legacy, FrameSplit.byHost(legacy).get("old-agent"));
    assertThrows(InvalidPayloadException.class, () -> FrameSplit.byHost(Buffer.buffer("not a frame")));
  }
}
