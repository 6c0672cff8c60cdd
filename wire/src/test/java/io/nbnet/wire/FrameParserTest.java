package io.nbnet.wire;

import io.vertx.core.buffer.Buffer;
import org.junit.jupiter.api.DisplayName;
import org.junit.jupiter.api.Test;

import java.util.ArrayList;
import java.util.List;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

class FrameParserTest {

  private final List<String> payloads = new ArrayList<>();
  private final List<ProtocolException> errors = new ArrayList<>();
  private final FrameParser parser = new FrameParser(100, p -> payloads.add(p.toString()), errors::add);

  @Test
  @DisplayName("the header is ten zero-padded digits, as in the legacy example 0000000005HELLO")
  void encodesLegacyHeader() {
    assertEquals("0000000005HELLO", Frames.encode("HELLO").toString());
    assertEquals("2147483647", headerOf(Integer.MAX_VALUE));
  }

  @Test
  @DisplayName("frames split across chunks and several frames in one chunk are all cut right")
  void cutsFramesAcrossAndWithinChunks() {
    String stream = Frames.encode("HELLO").toString() + Frames.encode("a").toString() + Frames.encode("{\"Host\":1}");
    for (int i = 0; i < stream.length(); i += 3) {
      parser.handle(Buffer.buffer(stream.substring(i, Math.min(stream.length(), i + 3))));
    }
    parser.handle(Frames.encode("x").appendBuffer(Frames.encode("yz")));
    assertEquals(List.of("HELLO", "a", "{\"Host\":1}", "x", "yz"), payloads);
    assertTrue(errors.isEmpty());
    assertFalse(parser.isMidFrame());
  }

  @Test
  @DisplayName("a partial header or payload is reported as mid-frame")
  void knowsWhenMidFrame() {
    parser.handle(Buffer.buffer("00000"));
    assertTrue(parser.isMidFrame());
    parser.handle(Buffer.buffer("00005HEL"));
    assertTrue(parser.isMidFrame());
    parser.handle(Buffer.buffer("LO"));
    assertFalse(parser.isMidFrame());
    assertEquals(List.of("HELLO"), payloads);
  }

  @Test
  @DisplayName("a header that is not ten digits is a protocol error, reported once; later input is ignored")
  void rejectsNonDigitHeader() {
    parser.handle(Buffer.buffer("00000000x5HELLO"));
    parser.handle(Frames.encode("more"));
    assertEquals(1, errors.size());
    assertEquals(ProtocolError.BAD_HEADER, errors.get(0).error());
    assertTrue(payloads.isEmpty());
    assertTrue(parser.hasFailed());
  }

  @Test
  @DisplayName("a length of 0 is a protocol error")
  void rejectsEmptyFrame() {
    parser.handle(Buffer.buffer("0000000000"));
    assertEquals(ProtocolError.EMPTY_FRAME, errors.get(0).error());
  }

  @Test
  @DisplayName("a length over the maximum is a protocol error before any payload is buffered")
  void rejectsOversizedFrame() {
    parser.handle(Buffer.buffer("0000000101"));
    assertEquals(ProtocolError.FRAME_TOO_LARGE, errors.get(0).error());
    parser.handle(Buffer.buffer("9999999999"));
    assertEquals(1, errors.size());
  }

  @Test
  @DisplayName("an admission that says no pauses parsing: what arrives meanwhile waits, in order, until resume()")
  void admissionPausesUntilResumed() {
    List<Long> asked = new ArrayList<>();
    boolean[] admit = {false};
    FrameParser paused = new FrameParser(100, p -> payloads.add(p.toString()), errors::add).admission(length -> {
      asked.add(length);
      return admit[0];
    });
    paused.handle(Buffer.buffer(Frames.encode("one").toString() + Frames.encode("two").toString().substring(0, 4)));
    paused.handle(Buffer.buffer(Frames.encode("two").toString().substring(4)));
    assertEquals(List.of(3L), asked);
    assertTrue(payloads.isEmpty());
    assertTrue(paused.isMidFrame());
    admit[0] = true;
    paused.resume();
    assertEquals(List.of("one", "two"), payloads);
    assertEquals(List.of(3L, 3L), asked);
    assertFalse(paused.isMidFrame());
  }

  @Test
  @DisplayName("a payload is a copy of its own size: changing the chunk afterwards does not change it")
  void payloadIsItsOwnCopy() {
    List<Buffer> kept = new ArrayList<>();
    FrameParser copying = new FrameParser(100, kept::add, errors::add);
    Buffer chunk = Frames.encode("abc").appendBuffer(Frames.encode("de"));
    copying.handle(chunk);
    chunk.setByte(10, (byte) 'X');
    assertEquals("abc", kept.get(0).toString());
    assertEquals(3, kept.get(0).length());
    assertEquals("de", kept.get(1).toString());
  }

  private static String headerOf(int length) {
    Buffer header = Buffer.buffer();
    Frames.appendHeader(header, length);
    return header.toString();
  }
}
