package io.nbnet.exec.remote;

import io.nbnet.exec.CommandRequest;
import io.nbnet.support.config.ConfigException;
import io.nbnet.support.config.ConfigView;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.TreeMap;

/**
 * The commands a remote client may run. An {@code argv} entry matches a request whose argv is exactly
 * the entry's (its program named as configured or by its absolute path), or starts with it when the
 * entry says {@code "extraArgs": true}; a {@code shell} entry matches one exact command line for
 * {@code /bin/sh -c}. Everything that decides which code runs comes from the entry, never from the
 * request: the program is resolved to an absolute path when the config loads, and an entry's
 * {@code env} and {@code cwd} are the only environment additions and working directory a command gets.
 */
public final class AllowList {

  /** One allowed command. {@code program} is absolute (or {@code /bin/sh} for shell lines). */
  record Entry(List<String> argv, Path program, boolean shell, boolean extraArgs, Map<String, String> env, Optional<Path> cwd) {
  }

  private final List<Entry> entries;

  private AllowList(List<Entry> entries) {
    this.entries = List.copyOf(entries);
  }

  static AllowList from(List<ConfigView> items, String searchPath) {
    List<Entry> entries = new ArrayList<>();
    for (ConfigView item : items) {
      entries.add(entry(item, searchPath));
    }
    return new AllowList(entries);
  }

  boolean isEmpty() {
    return entries.isEmpty();
  }

  /**
   * The command to run for a request, built from the matching entry; empty when nothing matches.
   *
   * @param argv  the request's argv (one command line when {@code shell})
   */
  Optional<CommandRequest> match(List<String> argv, boolean shell, long timeoutMillis, int maxOutputBytes) {
    for (Entry entry : entries) {
      if (entry.shell() != shell || !matches(entry, argv)) {
        continue;
      }
      List<String> resolved = new ArrayList<>();
      if (shell) {
        resolved.add(entry.argv().get(0));
      } else {
        resolved.add(entry.program().toString());
        resolved.addAll(argv.subList(1, argv.size()));
      }
      return Optional.of(new CommandRequest(resolved, shell, entry.cwd().map(Path::toString).orElse(null), entry.env(),
        timeoutMillis, maxOutputBytes));
    }
    return Optional.empty();
  }

  private static boolean matches(Entry entry, List<String> argv) {
    if (entry.shell()) {
      return argv.size() == 1 && argv.get(0).equals(entry.argv().get(0));
    }
    int words = entry.argv().size();
    if (argv.size() < words || argv.size() > words && !entry.extraArgs()) {
      return false;
    }
    String program = argv.get(0);
    if (!program.equals(entry.argv().get(0)) && !program.equals(entry.program().toString())) {
      return false;
    }
    return argv.subList(1, words).equals(entry.argv().subList(1, words));
  }

  private static Entry entry(ConfigView item, String searchPath) {
    boolean shell = item.has("shell");
    if (shell == item.has("argv")) {
      throw new ConfigException(item.path() + ": give either \"argv\" or \"shell\"");
    }
    boolean extraArgs = item.bool("extraArgs", false);
    Map<String, String> env = new TreeMap<>();
    ConfigView envSection = item.section("env");
    for (String name : envSection.keys()) {
      env.put(name, envSection.string(name, ""));
    }
    Optional<Path> cwd = item.optionalString("cwd").map(Path::of);
    if (cwd.isPresent() && (!cwd.get().isAbsolute() || !Files.isDirectory(cwd.get()))) {
      throw item.error("cwd", "must be an existing absolute directory, got \"" + cwd.get() + "\"");
    }
    if (shell) {
      if (extraArgs) {
        throw item.error("extraArgs", "applies to argv entries only: a shell line is matched exactly");
      }
      return new Entry(List.of(item.string("shell", "")), Path.of("/bin/sh"), true, false, env, cwd);
    }
    List<String> argv = item.strings("argv", List.of());
    if (argv.isEmpty() || argv.get(0).isEmpty()) {
      throw item.error("argv", "must name at least the program");
    }
    String pathForLookup = env.getOrDefault("PATH", searchPath);
    return new Entry(argv, resolve(argv.get(0), pathForLookup, item), false, extraArgs, env, cwd);
  }

  /** The program's absolute path, looked up once at load: a request can never change which file runs. */
  private static Path resolve(String program, String searchPath, ConfigView item) {
    if (program.contains("/")) {
      Path path = Path.of(program);
      if (!path.isAbsolute() || !Files.isExecutable(path)) {
        throw item.error("argv", "program " + program + " is not an executable absolute path");
      }
      return path;
    }
    for (String folder : searchPath.split(":")) {
      if (!folder.isEmpty() && Path.of(folder).isAbsolute() && Files.isExecutable(Path.of(folder, program))) {
        return Path.of(folder, program);
      }
    }
    throw item.error("argv", "program " + program + " was not found in PATH (" + searchPath + ")");
  }
}
