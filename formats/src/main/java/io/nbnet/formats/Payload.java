package io.nbnet.formats;

import io.nbnet.formats.legacy.LegacyMessage;
import io.nbnet.formats.nb1.NativeBatch;
import io.nbnet.formats.nb1.NativeFormat;
import io.vertx.core.buffer.Buffer;

import java.util.Set;

/**
 * A request payload decoded whole, for whoever stores it: a native frame's samples
 * ({@link NativeBatch}) or a legacy agent's message ({@link LegacyMessage}). A relay, which only
 * routes payloads, needs less of them: {@link PayloadHosts}.
 */
public interface Payload {

  /** The hosts whose samples it carries. */
  Set<String> hosts();

  /** @throws InvalidPayloadException naming what is wrong, when the payload is neither format or breaks its rules */
  static Payload decode(Buffer payload) {
    if (NativeFormat.isNative(payload)) {
      return NativeFormat.decode(payload);
    }
    if (LegacyMessage.looksLegacy(payload)) {
      return LegacyMessage.parse(payload, System.currentTimeMillis() / 1000);
    }
    throw new InvalidPayloadException("payload is neither a legacy JSON object nor a native NB1 frame");
  }
}
