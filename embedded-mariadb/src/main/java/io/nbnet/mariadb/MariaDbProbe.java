package io.nbnet.mariadb;

import java.io.IOException;
import java.io.InputStream;
import java.net.InetSocketAddress;
import java.net.Socket;

/** Tells whether a MySQL-protocol server answers at an address: it connects and reads the server greeting. */
public final class MariaDbProbe {

  private MariaDbProbe() {
  }

  public static boolean answers(String host, int port, int timeoutMillis) {
    try (Socket socket = new Socket()) {
      socket.connect(new InetSocketAddress(host, port), timeoutMillis);
      socket.setSoTimeout(timeoutMillis);
      InputStream in = socket.getInputStream();
      byte[] packetHeader = in.readNBytes(4);
      int firstPayloadByte = in.read();
      // a greeting packet starts with protocol version 10; an error packet (0xff) still proves a server
      return packetHeader.length == 4 && (firstPayloadByte == 10 || firstPayloadByte == 0xff);
    } catch (IOException e) {
      return false;
    }
  }
}
