package io.nbnet.store.mysql;

import org.junit.jupiter.api.DisplayName;
import org.junit.jupiter.api.Test;

import java.util.List;

import static org.junit.jupiter.api.Assertions.assertEquals;

class InsertChunksTest {

  @Test
  @DisplayName("rows are cut into full chunks, then powers of two, so few statement shapes exist")
  void splitsRows() {
    assertEquals(List.of(), InsertChunks.sizes(0, 500));
    assertEquals(List.of(1), InsertChunks.sizes(1, 500));
    assertEquals(List.of(32, 4, 1), InsertChunks.sizes(37, 500));
    assertEquals(List.of(500, 500, 8, 2), InsertChunks.sizes(1010, 500));
    assertEquals(List.of(500), InsertChunks.sizes(500, 500));
  }
}
