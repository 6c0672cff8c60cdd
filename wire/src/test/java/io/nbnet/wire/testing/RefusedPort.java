package io.nbnet.wire.testing;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.Socket;

/**
 * A loopback port where connections are refused, for tests of a dead server: a socket bound to it
 * but not listening holds it for as long as this is open, so no other process can take it meanwhile
 * (unlike a port found free and closed again).
 */
public final class RefusedPort implements AutoCloseable {

  private final Socket holder = new Socket();

  public RefusedPort() {
    try {
      holder.bind(new InetSocketAddress(InetAddress.getLoopbackAddress(), 0));
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }

  public int port() {
    return holder.getLocalPort();
  }

  @Override
  public void close() throws IOException {
    holder.close();
  }
}
