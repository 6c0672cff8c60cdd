package io.nbnet.collector.plugin;

import io.nbnet.sample.Sample;

import java.util.List;

/**
 * The samples read from one plugin run, and the lines that could not be read.
 *
 * @param firstProblem what was wrong with the first bad line, or null
 */
public record ParsedOutput(List<Sample> samples, int badLines, String firstProblem) {
}
