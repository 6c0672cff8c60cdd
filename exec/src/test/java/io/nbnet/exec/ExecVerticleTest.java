package io.nbnet.exec;

import io.vertx.core.Future;
import io.vertx.core.Vertx;
import io.vertx.junit5.VertxExtension;
import org.junit.jupiter.api.DisplayName;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;

import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;
import static org.junit.jupiter.api.Assertions.assertTrue;

@ExtendWith(VertxExtension.class)
class ExecVerticleTest {

  @Test
  @DisplayName("past running + waiting requests, a request is refused at once; the others complete")
  void refusesPastTheBound(Vertx vertx) throws Exception {
    vertx.deployVerticle(new ExecVerticle(new ExecConfig("test", "test.exec", 2, 1, 10_000, 1024)))
      .toCompletionStage().toCompletableFuture().get(10, TimeUnit.SECONDS);
    ExecClient client = new ExecClient(vertx, "test.exec");
    List<Future<CommandResult>> runs = new ArrayList<>();
    for (int i = 0; i < 3; i++) {
      runs.add(client.run(CommandRequest.of(List.of("sleep", "0.5"), 5_000, 1024)));
    }
    long start = System.nanoTime();
    Throwable refusal = client.run(CommandRequest.of(List.of("true"), 5_000, 1024))
      .toCompletionStage().toCompletableFuture().handle((result, failure) -> failure).get(5, TimeUnit.SECONDS);
    assertInstanceOf(CommandRefusedException.class, refusal);
    assertTrue(refusal.getMessage().startsWith("too many commands: 3 in progress"), refusal.getMessage());
    assertTrue(System.nanoTime() - start < 400_000_000L, "refused before the running commands end");
    for (Future<CommandResult> run : runs) {
      assertEquals(0, run.toCompletionStage().toCompletableFuture().get(10, TimeUnit.SECONDS).exitCode());
    }
    assertEquals(0, client.run(CommandRequest.of(List.of("true"), 5_000, 1024))
      .toCompletionStage().toCompletableFuture().get(10, TimeUnit.SECONDS).exitCode());
  }
}
