package io.nbnet.support.http;

import io.vertx.core.buffer.Buffer;

import java.io.ByteArrayInputStream;
import java.io.IOException;
import java.io.InputStream;
import java.util.zip.GZIPInputStream;

/**
 * A gzipped request body unpacked, never past a limit (a small body may unpack to gigabytes). Done by
 * the handler rather than by the HTTP server's decompressor, which would also take
 * {@code Content-Encoding: snappy} (remote write's block format) for snappy's framed format and break it.
 */
public final class GzipBodies {

  /** The body is larger unpacked than allowed. */
  public static final class TooLarge extends Exception {
    TooLarge() {
      super(null, null, false, false);
    }
  }

  private GzipBodies() {
  }

  /**
   * The unpacked body.
   *
   * @throws TooLarge    past {@code limit} bytes unpacked
   * @throws IOException when it is not gzip
   */
  public static Buffer unpack(Buffer body, int limit) throws TooLarge, IOException {
    try (InputStream in = new GZIPInputStream(new ByteArrayInputStream(body.getBytes()))) {
      Buffer out = Buffer.buffer(Math.min(limit, body.length() * 4));
      byte[] chunk = new byte[8192];
      for (int read = in.read(chunk); read > 0; read = in.read(chunk)) {
        if (out.length() + read > limit) {
          throw new TooLarge();
        }
        out.appendBytes(chunk, 0, read);
      }
      return out;
    }
  }
}
