package io.nbnet.launcher.tools;

import io.nbnet.buffer.DiskSpool;
import io.nbnet.buffer.SpoolConfig;
import io.nbnet.buffer.SpoolInspector;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;
import picocli.CommandLine;

import java.io.IOException;
import java.nio.file.Path;
import java.util.concurrent.Callable;

/**
 * {@code ./nbnet spool inspect DIR} and {@code ./nbnet spool resend DIR}: what a collector's or trans's
 * spool holds, and sending its dead letters again after a fix.
 */
@Command(name = "nbnet spool", mixinStandardHelpOptions = true, subcommands = {SpoolTool.Inspect.class, SpoolTool.Resend.class},
  description = "Look into a spool folder, or send its dead letters again.")
public final class SpoolTool implements Runnable {

  public static void main(String[] args) {
    System.exit(commandLine().execute(args));
  }

  /** The command, answering a spool it cannot open (a missing folder, one its owner holds) with one line, not a stack trace. */
  static CommandLine commandLine() {
    return new CommandLine(new SpoolTool()).setExecutionExceptionHandler((failure, command, parsed) -> {
      if (!(failure instanceof IOException)) {
        throw failure;
      }
      command.getErr().println("nbnet spool " + command.getCommandName() + ": " + failure.getMessage());
      return 1;
    });
  }

  @Override
  public void run() {
    CommandLine.usage(this, System.out);
  }

  @Command(name = "inspect", mixinStandardHelpOptions = true,
    description = "Lists the segments, the frames waiting, damaged stretches and the dead letters of a spool; changes nothing.")
  static final class Inspect implements Callable<Integer> {

    @Parameters(paramLabel = "DIR", description = "the spool folder (spool.dir)")
    Path folder;

    @Option(names = "--show", defaultValue = "5", description = "oldest and newest frames, and dead letters, to show (default: ${DEFAULT-VALUE})")
    int show;

    @Override
    public Integer call() throws Exception {
      SpoolInspector.Report report = SpoolInspector.inspect(folder, show);
      System.out.println("spool " + report.folder() + ": cursor " + report.cursor() + ", " + report.waiting() + " frames waiting");
      for (SpoolInspector.Segment segment : report.segments()) {
        System.out.printf("  %s  %,d bytes  %d records%n", segment.file().getFileName(), segment.bytes(), segment.records());
        segment.damage().forEach(damage -> System.out.println("    damaged: " + damage));
      }
      if (!report.oldest().isEmpty()) {
        System.out.println("oldest frames waiting:");
        report.oldest().forEach(entry -> System.out.printf("  %,8d bytes  %s%n", entry.bytes(), entry.preview()));
      }
      if (!report.newest().isEmpty()) {
        System.out.println("newest frames waiting:");
        report.newest().forEach(entry -> System.out.printf("  %,8d bytes  %s%n", entry.bytes(), entry.preview()));
      }
      System.out.println("dead letters" + (report.deadLetters().isEmpty() ? ": none" : " (first " + show + "):"));
      for (SpoolInspector.DeadLetter letter : report.deadLetters()) {
        System.out.printf("  %,8d bytes  %s%n             because %s%n", letter.bytes(), letter.preview(), letter.reason());
      }
      return 0;
    }
  }

  @Command(name = "resend", mixinStandardHelpOptions = true,
    description = "Moves every dead letter back into the spool, to be sent when its owner next runs. Stop the owner first.")
  static final class Resend implements Callable<Integer> {

    @Parameters(paramLabel = "DIR", description = "the spool folder (spool.dir)")
    Path folder;

    @Override
    public Integer call() throws Exception {
      SpoolConfig options = new SpoolConfig(folder, Long.MAX_VALUE / 4, 16L << 20, SpoolConfig.Fsync.ALWAYS, 1000,
        SpoolConfig.WhenFull.DROP_NEWEST, Long.MAX_VALUE / 4);
      try (DiskSpool spool = openStopped(options)) {
        int moved = spool.resendDeadLetters();
        System.out.println("moved " + moved + " dead letters back into " + folder + "; they are sent when its owner next runs");
      }
      return 0;
    }

    private static DiskSpool openStopped(SpoolConfig options) throws IOException {
      try {
        return DiskSpool.open(options);
      } catch (IOException e) {
        throw new IOException(e.getMessage() + (e.getMessage().contains("used by another process")
          ? ": stop its owner (the collector or trans using it) first, then resend" : ""), e);
      }
    }
  }
}
