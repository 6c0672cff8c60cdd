package io.nbnet.formats.nb1;

import io.nbnet.formats.Sample;
import java.util.List;

/**
 * The content of one native frame.
 *
 * @param source   who produced the frame (a collector's source id)
 * @param sequence the source's frame counter, increasing by one per frame
 */
public record NativeBatch(String source, long sequence, List<Sample> samples) {
}
