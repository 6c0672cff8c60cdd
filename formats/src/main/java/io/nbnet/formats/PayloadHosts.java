package io.nbnet.formats;

import io.nbnet.formats.legacy.LegacyMessage;
import io.nbnet.formats.nb1.NativeFormat;
import io.vertx.core.buffer.Buffer;

import java.util.Map;
import java.util.Set;

/**
 * What a relay needs of a payload: the hosts whose samples it carries, and each host's part of it, for
 * a log partitioned by host. The payload is checked whole, by the rules decoding applies, so a payload
 * that could never be stored is refused here; its samples are not built. A payload of one host (every
 * collector's and old agent's) is its own only part; a native payload of several hosts (a relay's or
 * a push gateway's) has a native payload per host: the same header, that host's lines, in the order the
 * hosts first appear.
 */
public final class PayloadHosts {

  private final Map<String, Buffer> parts;

  private PayloadHosts(Map<String, Buffer> parts) {
    this.parts = parts;
  }

  /** @throws InvalidPayloadException naming what is wrong, when the payload is neither format or breaks its rules */
  public static PayloadHosts of(Buffer payload) {
    if (NativeFormat.isNative(payload)) {
      return new PayloadHosts(NativeFormat.partsByHost(payload));
    }
    if (LegacyMessage.looksLegacy(payload)) {
      return new PayloadHosts(Map.of(LegacyMessage.parse(payload, 0).host(), payload));
    }
    throw new InvalidPayloadException("payload is neither a legacy JSON object nor a native NB1 frame");
  }

  public Set<String> hosts() {
    return parts.keySet();
  }

  /** Each host's part, in the order the hosts first appear. */
  public Map<String, Buffer> parts() {
    return parts;
  }
}
