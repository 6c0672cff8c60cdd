package io.nbnet.wire.testing;

import java.io.IOException;
import java.io.InputStream;
import java.net.InetSocketAddress;
import java.net.Socket;
import java.net.SocketTimeoutException;
import java.nio.charset.StandardCharsets;

/**
 * A plain blocking socket for tests that must send bytes no well-behaved client would: broken
 * headers, half frames. Runs on the test thread, never on an event loop.
 */
public final class RawFrameSocket implements AutoCloseable {

  private final Socket socket;
  private final InputStream in;

  public RawFrameSocket(int port) throws IOException {
    socket = new Socket();
    socket.connect(new InetSocketAddress("127.0.0.1", port), 5_000);
    socket.setSoTimeout(15_000);
    in = socket.getInputStream();
  }

  public static String frame(String payload) {
    byte[] bytes = payload.getBytes(StandardCharsets.UTF_8);
    return String.format("%010d", bytes.length) + payload;
  }

  public RawFrameSocket sendRaw(String bytes) throws IOException {
    socket.getOutputStream().write(bytes.getBytes(StandardCharsets.UTF_8));
    socket.getOutputStream().flush();
    return this;
  }

  public RawFrameSocket send(String payload) throws IOException {
    return sendRaw(frame(payload));
  }

  /** Reads one reply frame and returns its payload. */
  public String readReply() throws IOException {
    byte[] header = in.readNBytes(10);
    if (header.length < 10) {
      throw new IOException("connection closed before a reply header (" + header.length + " bytes read)");
    }
    int length = Integer.parseInt(new String(header, StandardCharsets.US_ASCII));
    byte[] payload = in.readNBytes(length);
    if (payload.length < length) {
      throw new IOException("connection closed inside a reply");
    }
    return new String(payload, StandardCharsets.UTF_8);
  }

  /** A reply when one arrives within the read timeout, else null. */
  public String replyIfAny() throws IOException {
    try {
      return readReply();
    } catch (SocketTimeoutException e) {
      return null;
    }
  }

  public RawFrameSocket sendBytes(byte[] bytes) throws IOException {
    socket.getOutputStream().write(bytes);
    socket.getOutputStream().flush();
    return this;
  }

  public String request(String payload) throws IOException {
    return send(payload).readReply();
  }

  /** True when the server closed the connection (reading gives end of stream) within the socket timeout. */
  public boolean closedByPeer() throws IOException {
    try {
      return in.read() == -1;
    } catch (SocketTimeoutException e) {
      return false;
    } catch (IOException e) {
      return true; // reset by peer
    }
  }

  public RawFrameSocket readTimeout(int millis) throws IOException {
    socket.setSoTimeout(millis);
    return this;
  }

  @Override
  public void close() throws IOException {
    socket.close();
  }
}
