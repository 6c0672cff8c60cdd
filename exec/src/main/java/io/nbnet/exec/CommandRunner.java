package io.nbnet.exec;

import java.io.File;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.logging.Level;
import java.util.logging.Logger;

/**
 * Runs one command and blocks until it is over; call it on a worker thread. The command starts
 * through {@code setsid}, so it leads a process group of its own, under a small {@code sh} wrapper
 * that runs the argv as given (as {@code "$@"}: nothing is parsed) and, once the command has exited,
 * ends whatever it left behind in its group. If the command runs past its timeout the whole group
 * gets SIGTERM, then SIGKILL after a grace period, so grandchildren die too. {@link #endAll} does the
 * same to every command still running, so a stopping service leaves no process behind.
 */
public final class CommandRunner implements AutoCloseable {

  private static final Logger log = Logger.getLogger(CommandRunner.class.getName());
  /**
   * Runs "$@", then sends TERM to the rest of its own process group and exits with the command's
   * status. The trap keeps the wrapper alive through that TERM; a trapped (not ignored) signal is
   * reset to its default in the command, so the command still dies of SIGTERM.
   */
  private static final String GROUP_WRAPPER = "trap : TERM; \"$@\"; status=$?; kill -s TERM -- -$$ 2>/dev/null; exit $status";
  private static final long KILL_GRACE_MILLIS = 2_000;
  private static final AtomicInteger THREADS = new AtomicInteger();

  private final ExecutorService outputReaders = Executors.newCachedThreadPool(task -> {
    Thread thread = new Thread(task, "nbnet-exec-output-" + THREADS.incrementAndGet());
    thread.setDaemon(true);
    return thread;
  });

  private final Set<Process> running = ConcurrentHashMap.newKeySet();
  private volatile boolean ending;

  public CommandResult run(CommandRequest request) {
    long start = System.nanoTime();
    String problem = ending ? "the exec service is stopping" : whyNotRunnable(request);
    if (problem != null) {
      return CommandResult.notStarted(problem);
    }
    List<String> command = new ArrayList<>(List.of("setsid", "/bin/sh", "-c", GROUP_WRAPPER, "nbnet-exec"));
    command.addAll(request.commandLine());
    ProcessBuilder builder = new ProcessBuilder(command).redirectInput(ProcessBuilder.Redirect.from(new File("/dev/null")));
    if (request.workingDirectory() != null) {
      builder.directory(new File(request.workingDirectory()));
    }
    builder.environment().putAll(request.environment());
    Process process;
    try {
      process = builder.start();
    } catch (IOException e) {
      return CommandResult.notStarted("cannot start " + request.argv().get(0) + ": " + e.getMessage());
    }
    running.add(process);
    try {
      return collect(request, process, start);
    } finally {
      running.remove(process);
    }
  }

  private CommandResult collect(CommandRequest request, Process process, long start) {
    if (ending) {
      // endAll may have looked before this process was added
      killGroup(process.pid(), "TERM");
    }
    BoundedOutput stdout = new BoundedOutput(process.getInputStream(), request.maxOutputBytes());
    BoundedOutput stderr = new BoundedOutput(process.getErrorStream(), request.maxOutputBytes());
    Future<?> stdoutDone = outputReaders.submit(stdout);
    Future<?> stderrDone = outputReaders.submit(stderr);
    long deadline = start + TimeUnit.MILLISECONDS.toNanos(request.timeoutMillis());
    boolean finished = waitFor(process, deadline) && waitFor(stdoutDone, deadline) && waitFor(stderrDone, deadline);
    if (!finished) {
      killGroup(process.pid(), "TERM");
      long graceDeadline = System.nanoTime() + TimeUnit.MILLISECONDS.toNanos(KILL_GRACE_MILLIS);
      if (!(waitFor(process, graceDeadline) && waitFor(stdoutDone, graceDeadline) && waitFor(stderrDone, graceDeadline))) {
        killGroup(process.pid(), "KILL");
        waitFor(process, System.nanoTime() + TimeUnit.SECONDS.toNanos(5));
      }
      waitFor(stdoutDone, System.nanoTime() + TimeUnit.SECONDS.toNanos(1));
      waitFor(stderrDone, System.nanoTime() + TimeUnit.SECONDS.toNanos(1));
    }
    long durationMillis = TimeUnit.NANOSECONDS.toMillis(System.nanoTime() - start);
    int exitCode = process.isAlive() ? -1 : process.exitValue();
    return new CommandResult(exitCode, stdout.text(), stderr.text(), durationMillis, !finished,
      stdout.truncated() || stderr.truncated(), null);
  }

  /**
   * Sends SIGTERM to the group of every command still running and refuses new ones; their {@link #run}
   * calls then return as the commands die (a command that ignores TERM is killed at its timeout).
   */
  public void endAll() {
    ending = true;
    running.forEach(process -> killGroup(process.pid(), "TERM"));
  }

  /** Call once no {@link #run} is in progress. */
  @Override
  public void close() {
    outputReaders.shutdownNow();
  }

  /** A missing program or working directory is reported plainly, not as setsid's exit status. */
  private static String whyNotRunnable(CommandRequest request) {
    if (request.workingDirectory() != null && !Files.isDirectory(Path.of(request.workingDirectory()))) {
      return "working directory " + request.workingDirectory() + " does not exist";
    }
    String program = request.commandLine().get(0);
    if (program.contains("/")) {
      return Files.isExecutable(Path.of(program)) ? null : "command not found: " + program;
    }
    String path = request.environment().getOrDefault("PATH", System.getenv().getOrDefault("PATH", "/usr/bin:/bin"));
    for (String folder : path.split(":")) {
      if (!folder.isEmpty() && Files.isExecutable(Path.of(folder, program))) {
        return null;
      }
    }
    return "command not found: " + program;
  }

  private static boolean waitFor(Process process, long deadlineNanos) {
    try {
      return process.waitFor(Math.max(0, deadlineNanos - System.nanoTime()), TimeUnit.NANOSECONDS);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      return false;
    }
  }

  private static boolean waitFor(Future<?> task, long deadlineNanos) {
    try {
      task.get(Math.max(0, deadlineNanos - System.nanoTime()), TimeUnit.NANOSECONDS);
      return true;
    } catch (TimeoutException e) {
      return false;
    } catch (ExecutionException e) {
      return true;
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      return false;
    }
  }

  /** The JDK cannot signal a process group; kill(1) can. */
  private static void killGroup(long processGroup, String signal) {
    try {
      Process kill = new ProcessBuilder("kill", "-" + signal, "--", "-" + processGroup)
        .redirectErrorStream(true).redirectOutput(ProcessBuilder.Redirect.DISCARD).start();
      kill.waitFor(5, TimeUnit.SECONDS);
    } catch (IOException e) {
      log.log(Level.WARNING, "cannot signal process group " + processGroup, e);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
    }
  }
}
