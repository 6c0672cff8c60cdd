package io.nbnet.store.legacy;

import org.junit.jupiter.api.DisplayName;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

import static org.junit.jupiter.api.Assertions.assertEquals;

class LegacyTableRuleTest {

  @ParameterizedTest(name = "{0} -> {1} -> stat_{2}")
  @DisplayName("the legacy split-by-host rule gives the checked values")
  @CsvSource({"host1,708,0", "host2,563,3", "host3,558,2", "host4,541,1", "host5,520,0", "teach.works,138,2"})
  void matchesLegacyValues(String host, long hash, int table) {
    assertEquals(hash, LegacyTableRule.hostHash(host));
    assertEquals(table, LegacyTableRule.tableIndex(host, 4));
  }
}
