package io.nbnet.exec;

import io.vertx.core.Future;
import io.vertx.core.Vertx;
import io.vertx.junit5.VertxExtension;
import org.junit.jupiter.api.DisplayName;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;
import org.junit.jupiter.api.io.TempDir;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;

import static org.awaitility.Awaitility.await;
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

  @Test
  @DisplayName("a stop ends the commands still running, child processes too, and waits for them: nothing runs on after it")
  void stopEndsRunningCommands(Vertx vertx, @TempDir Path folder) throws Exception {
    String deployment = vertx.deployVerticle(new ExecVerticle(new ExecConfig("test", "test.exec", 2, 1, 60_000, 1024)))
      .toCompletionStage().toCompletableFuture().get(10, TimeUnit.SECONDS);
    Path childPid = folder.resolve("child.pid");
    Future<CommandResult> run = new ExecClient(vertx, "test.exec")
      .run(CommandRequest.of(List.of("sh", "-c", "sleep 60 & echo $! > " + childPid + "; wait"), 60_000, 1024));
    await().atMost(10, TimeUnit.SECONDS).until(() -> Files.exists(childPid) && !Files.readString(childPid).isBlank());
    long child = Long.parseLong(Files.readString(childPid).trim());
    long start = System.nanoTime();
    vertx.undeploy(deployment).toCompletionStage().toCompletableFuture().get(10, TimeUnit.SECONDS);
    assertTrue(System.nanoTime() - start < 5_000_000_000L, "the stop did not wait for the 60 s command");
    // signalled before the stop completed; its parent (init) reaps it a moment later
    await("the command's child ends").atMost(5, TimeUnit.SECONDS)
      .until(() -> !ProcessHandle.of(child).map(ProcessHandle::isAlive).orElse(false));
    CommandResult result = run.toCompletionStage().toCompletableFuture().get(5, TimeUnit.SECONDS);
    assertTrue(result.exitCode() != 0, "the ended command reports its death, not success: " + result.exitCode());
  }
}
