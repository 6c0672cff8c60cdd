package io.nbnet.formats;

import io.nbnet.formats.nb1.NativeFormat;
import io.vertx.core.buffer.Buffer;
import org.junit.jupiter.api.DisplayName;
import org.junit.jupiter.api.Test;

import java.nio.charset.StandardCharsets;
import java.util.List;
import java.util.Map;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertSame;
import static org.junit.jupiter.api.Assertions.assertThrows;

/** What a relay finds in a payload: its hosts and their parts, checked by the rules decoding applies. */
class PayloadHostsTest {

  @Test
  @DisplayName("a frame of one host stays the same bytes")
  void oneHostUnchanged() {
    Buffer frame = NativeFormat.encode("src", 7, List.of(Sample.numeric("web1", 1_000, "cpu.idle", "", 90), Sample.numeric("web1", 1_000, "mem.used", "", 5)));
    Map<String, Buffer> parts = PayloadHosts.of(frame).parts();
    assertEquals(List.of("web1"), List.copyOf(parts.keySet()));
    assertSame(frame, parts.get("web1"));
  }

  @Test
  @DisplayName("a frame of several hosts becomes one native frame per host, every sample in its host's frame, in order")
  void severalHostsSplit() {
    Sample a1 = Sample.numeric("a", 1_000, "cpu.idle", "", 1);
    Sample b1 = Sample.text("b", 1_000, "state", "", "ok\tfine");
    Sample a2 = Sample.numeric("a", 2_000, "cpu.idle", "core=1", 3.25);
    Sample c1 = Sample.numeric("c\u00e9", 2_000, "temp", "", -1e-3);
    PayloadHosts hosts = PayloadHosts.of(NativeFormat.encode("relay", 3, List.of(a1, b1, a2, c1)));
    assertEquals(List.of("a", "b", "c\u00e9"), List.copyOf(hosts.hosts()), "hosts in the order they first appear");
    assertEquals(List.of(a1, a2), NativeFormat.decode(hosts.parts().get("a")).samples());
    assertEquals(List.of(b1), NativeFormat.decode(hosts.parts().get("b")).samples());
    assertEquals(List.of(c1), NativeFormat.decode(hosts.parts().get("c\u00e9")).samples(), "a part cut from non-ASCII text");
    assertEquals("relay", NativeFormat.decode(hosts.parts().get("b")).source());
  }

  @Test
  @DisplayName("a legacy agent's message is one host's, kept as it came; garbage is refused")
  void legacyAndGarbage() {
    Buffer legacy = Buffer.buffer("{\"Host\":\"old-agent\",\"Time\":1700000000,\"MemUsage\":12}");
    assertSame(legacy, PayloadHosts.of(legacy).parts().get("old-agent"));
    assertThrows(InvalidPayloadException.class, () -> PayloadHosts.of(Buffer.buffer("not a frame")));
  }

  @Test
  @DisplayName("a payload decoding refuses is refused with the same message, without its samples built")
  void refusesWhatDecodingRefuses() {
    String good = "h\t1000\tcpu.user\t\t1.5\n";
    List<String> badLines = List.of(
      "h\t1000\tcpu.user\t\t1.5.5\n", "h\t1000\tcpu.user\t\t-\n", "h\t1000\tcpu.user\t\t1e999\n", "h\t1000\tcpu.user\t\tnan\n",
      "h\t1000\tcpu.user\t\t" + "9".repeat(309) + "\n", "h\t1000\tcpu.user\t\t\n", "h\t1000\t\t\t1\n", "\t1000\tm\t\t1\n",
      "h\tx\tm\t\t1\n", "h\t1000\tm\t\t1\textra\n", "h\t1000\tm\t" + "t".repeat(SampleLimits.MAX_TAGS_CHARS + 1) + "\t1\n",
      "h\t1000\tm\t\t\"" + "x".repeat(SampleLimits.MAX_TEXT_CHARS + 1) + "\n", "h\\q\t1000\tm\t\t1\n", "h\t1000\tm\t\t1");
    for (String bad : badLines) {
      Buffer payload = Buffer.buffer(("NB1\ts\t1\n" + good + bad).getBytes(StandardCharsets.UTF_8));
      InvalidPayloadException decoding = assertThrows(InvalidPayloadException.class, () -> NativeFormat.decode(payload), bad);
      InvalidPayloadException relaying = assertThrows(InvalidPayloadException.class, () -> PayloadHosts.of(payload), bad);
      assertEquals(decoding.getMessage(), relaying.getMessage());
    }
    Buffer exponents = Buffer.buffer("NB1\ts\t1\nh\t1000\tm\t\t1e300\nh\t1000\tn\t\t" + "9".repeat(308) + ".5\n");
    assertEquals(List.of("h"), List.copyOf(PayloadHosts.of(exponents).hosts()), "numbers decoding takes are taken");
    assertEquals(2, NativeFormat.decode(exponents).samples().size());
  }
}
