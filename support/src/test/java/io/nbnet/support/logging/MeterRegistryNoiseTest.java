package io.nbnet.support.logging;

import io.micrometer.core.instrument.MeterRegistry;
import io.micrometer.core.instrument.simple.SimpleMeterRegistry;
import io.nbnet.support.testing.LogCapture;
import io.vertx.core.Vertx;
import io.vertx.core.VertxOptions;
import io.vertx.core.net.NetClient;
import io.vertx.core.net.NetServer;
import io.vertx.micrometer.MicrometerMetricsFactory;
import io.vertx.micrometer.MicrometerMetricsOptions;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.DisplayName;
import org.junit.jupiter.api.Test;

import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.logging.Level;

import static org.awaitility.Awaitility.await;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

class MeterRegistryNoiseTest {

  private LogCapture log;

  @BeforeEach
  void listen() {
    OneLineLogging.install();
    log = LogCapture.of("");
  }

  @AfterEach
  void stopListening() {
    log.close();
  }

  @Test
  @DisplayName("Vert.x registering its connection gauge again for a second connection does not print a warning")
  void vertxGaugesAgainAreQuiet() throws Exception {
    MeterRegistry vertxRegistry = new SimpleMeterRegistry();
    Vertx vertx = Vertx.builder().with(new VertxOptions().setMetricsOptions(new MicrometerMetricsOptions().setEnabled(true)))
      .withMetrics(new MicrometerMetricsFactory(vertxRegistry)).build();
    try {
      AtomicInteger accepted = new AtomicInteger();
      NetServer server = vertx.createNetServer().connectHandler(socket -> accepted.incrementAndGet());
      int port = server.listen(0, "127.0.0.1").toCompletionStage().toCompletableFuture().get(10, TimeUnit.SECONDS).actualPort();
      NetClient client = vertx.createNetClient();
      for (int i = 0; i < 2; i++) {
        client.connect(port, "127.0.0.1").toCompletionStage().toCompletableFuture().get(10, TimeUnit.SECONDS);
      }
      await().atMost(10, TimeUnit.SECONDS).until(() -> accepted.get() == 2);
      assertEquals(2.0, vertxRegistry.get("vertx.net.client.active.connections").gauge().value(), "both connections counted");
    } finally {
      vertx.close().toCompletionStage().toCompletableFuture().get(10, TimeUnit.SECONDS);
    }
    assertTrue(log.linesAtLeast(Level.WARNING).isEmpty(), "no warning: " + log.linesAtLeast(Level.WARNING));
  }
}
