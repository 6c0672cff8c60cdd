package io.nbnet.remotewrite;

import io.nbnet.formats.Sample;

import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;

/**
 * What a remote write request brought: the samples to store; the series refused whole (the first few
 * named) and their samples; the samples left out by reason ({@code out_of_bounds});
 * and what nbnet does not take, by kind ({@code metadata}, {@code exemplars}, {@code histograms}).
 */
public record DecodedWrite(List<Sample> samples, int refusedSeries, List<String> refusals, long refusedSamples,
                           Map<String, Long> leftOut, Map<String, Long> ignored) {

  /** Why the request is not kept whole, in one line for a 400; empty when it is. */
  public String problems() {
    List<String> parts = new ArrayList<>();
    if (refusedSeries > 0) {
      parts.add(refusedSeries + " series refused (" + String.join("; ", refusals) + (refusedSeries > refusals.size() ? "; ..." : "") + ")");
    }
    leftOut.forEach((reason, count) -> parts.add(count + " samples left out: " + (reason.equals("out_of_bounds")
      ? "times older than the raw tier keeps or too far ahead of the receiver's clock" : reason)));
    return String.join("; ", parts);
  }

  /** A write being decoded (by a remote write or an OTLP decoder). */
  public static final class Builder {
    private final int named;
    private final List<Sample> samples = new ArrayList<>();
    private final List<String> refusals = new ArrayList<>();
    private final Map<String, Long> leftOut = new TreeMap<>();
    private final Map<String, Long> ignored = new TreeMap<>();
    private int refusedSeries;
    private long refusedSamples;

    public Builder(int named) {
      this.named = named;
    }

    public void sample(Sample sample) {
      samples.add(sample);
    }

    public void refusedSeries(String why, int samplesOfIt) {
      refusedSeries++;
      refusedSamples += samplesOfIt;
      if (refusals.size() < named) {
        refusals.add(why);
      }
    }

    public void leftOut(String reason) {
      leftOut.merge(reason, 1L, Long::sum);
    }

    public void ignored(String kind, int count) {
      if (count > 0) {
        ignored.merge(kind, (long) count, Long::sum);
      }
    }

    public DecodedWrite build() {
      return new DecodedWrite(List.copyOf(samples), refusedSeries, List.copyOf(refusals), refusedSamples, Map.copyOf(leftOut), Map.copyOf(ignored));
    }
  }
}
