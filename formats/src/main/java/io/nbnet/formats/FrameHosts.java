package io.nbnet.formats;

import io.nbnet.formats.legacy.LegacyMessage;
import io.nbnet.formats.nb1.NativeFormat;
import io.vertx.core.buffer.Buffer;

import java.util.HashSet;
import java.util.Set;

/** The hosts whose samples a frame carries, native or legacy, for host identity checks. */
public final class FrameHosts {

  private FrameHosts() {
  }

  /** @throws InvalidPayloadException when the payload is neither format */
  public static Set<String> of(Buffer payload) {
    if (LegacyMessage.looksLegacy(payload)) {
      return Set.of(LegacyMessage.parse(payload, 0).host());
    }
    Set<String> hosts = new HashSet<>();
    NativeFormat.decode(payload).samples().forEach(sample -> hosts.add(sample.host()));
    return hosts;
  }
}
