package io.nbnet.formats;

import io.nbnet.formats.legacy.LegacyMessage;
import io.nbnet.formats.nb1.NativeBatch;
import io.nbnet.formats.nb1.NativeFormat;
import io.vertx.core.buffer.Buffer;

import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.stream.Collectors;

/**
 * A frame's samples by host, for a log partitioned by host: a frame of one host (every collector's and
 * old agent's frame) stays the bytes it came as; a native frame carrying several hosts (a relay's or a
 * push gateway's) becomes one native frame per host, in the order the hosts first appear.
 */
public final class FrameSplit {

  private FrameSplit() {
  }

  /** @throws InvalidPayloadException when the payload is neither format */
  public static Map<String, Buffer> byHost(Buffer payload) {
    if (LegacyMessage.looksLegacy(payload)) {
      return Map.of(LegacyMessage.parse(payload, 0).host(), payload);
    }
    NativeBatch batch = NativeFormat.decode(payload);
    Map<String, List<Sample>> hosts = batch.samples().stream()
      .collect(Collectors.groupingBy(Sample::host, LinkedHashMap::new, Collectors.toList()));
    if (hosts.size() <= 1) {
      return hosts.isEmpty() ? Map.of() : Map.of(hosts.keySet().iterator().next(), payload);
    }
    Map<String, Buffer> frames = new LinkedHashMap<>();
    hosts.forEach((host, samples) -> frames.put(host, NativeFormat.encode(batch.source(), batch.sequence(), samples)));
    return frames;
  }
}
