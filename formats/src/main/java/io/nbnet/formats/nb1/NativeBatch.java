package io.nbnet.formats.nb1;

import io.nbnet.formats.Payload;
import io.nbnet.formats.Sample;

import java.util.LinkedHashSet;
import java.util.List;
import java.util.Set;

/**
 * The content of one native frame.
 *
 * @param source   who produced the frame (a collector's source id)
 * @param sequence the source's frame counter, increasing by one per frame
 */
public record NativeBatch(String source, long sequence, List<Sample> samples) implements Payload {

  @Override
  public Set<String> hosts() {
    Set<String> hosts = new LinkedHashSet<>();
    samples.forEach(sample -> hosts.add(sample.host()));
    return hosts;
  }
}
