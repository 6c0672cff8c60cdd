package io.nbnet.wire;

import org.junit.jupiter.api.DisplayName;
import org.junit.jupiter.api.Test;

import java.util.Map;
import java.util.Optional;

import static org.junit.jupiter.api.Assertions.assertEquals;

class ErrorKindTest {

  @Test
  @DisplayName("wire codes are the ones processes of older versions send, whatever the enum's order")
  void codesAreFixed() {
    Map<ErrorKind, Integer> released = Map.of(ErrorKind.PROTOCOL, 1000, ErrorKind.INVALID, 1001, ErrorKind.UNAVAILABLE, 1002,
      ErrorKind.REFUSED, 1003, ErrorKind.INTERNAL, 1004);
    released.forEach((kind, code) -> {
      assertEquals(code, kind.code(), kind.name());
      assertEquals(Optional.of(kind), ErrorKind.ofCode(code));
    });
    assertEquals(Optional.empty(), ErrorKind.ofCode(999));
  }
}
