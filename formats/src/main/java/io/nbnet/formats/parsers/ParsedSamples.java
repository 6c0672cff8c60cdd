package io.nbnet.formats.parsers;

import io.nbnet.formats.Sample;

import java.util.List;
import java.util.Optional;

/**
 * The samples read from one input, and the parts that could not be read.
 *
 * @param firstProblem what was wrong with the first bad part (with its line number where the format has lines)
 */
public record ParsedSamples(List<Sample> samples, int badParts, Optional<String> firstProblem) {

  public boolean isClean() {
    return badParts == 0;
  }
}
