package io.nbnet.launcher.faults;

import java.io.IOException;
import java.net.ServerSocket;
import java.util.concurrent.ThreadLocalRandom;

/**
 * Ports for servers a test starts on a port of its choosing (Prometheus, Alertmanager, a target that stays
 * away), taken below the ephemeral range: the processes of tests running beside it bind port 0 and get
 * ephemeral ports, so they cannot take one of these while its server is stopped (ForwardIT's Prometheus
 * was stopped for 30 s and its port taken by a frame server of another test).
 */
final class StablePorts {

  private static final int LOW = 20_000;
  private static final int HIGH = 32_000;

  private StablePorts() {
  }

  /** One free port below the ephemeral range. */
  static int free() throws IOException {
    return freeRange(1);
  }

  /** The first of {@code size} consecutive free ports below the ephemeral range. */
  static int freeRange(int size) throws IOException {
    for (int attempt = 0; attempt < 50; attempt++) {
      int base = ThreadLocalRandom.current().nextInt(LOW, HIGH - size);
      boolean free = true;
      for (int port = base; port < base + size && free; port++) {
        try (ServerSocket socket = new ServerSocket(port)) {
          socket.setReuseAddress(true);
        } catch (IOException e) {
          free = false;
        }
      }
      if (free) {
        return base;
      }
    }
    throw new IOException("no free range of " + size + " ports below the ephemeral range");
  }
}
