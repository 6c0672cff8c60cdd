package io.nbnet.buffer;

import io.nbnet.support.config.ConfigView;

import java.nio.file.Path;
import java.util.Optional;

/**
 * Where and how a hop keeps frames on disk.
 *
 * @param folder             one folder per spool, owned by one process (a lock file says which)
 * @param maxBytes           the most the spool's segment files may hold; past it {@code whenFull} decides
 * @param segmentBytes       size at which a new segment file is started (a quarter of maxBytes at most)
 * @param fsync              when appended frames are forced to disk
 * @param deadLetterMaxBytes the most the dead letters (corrupt and refused frames) may hold; past it the oldest go
 */
public record SpoolConfig(Path folder, long maxBytes, long segmentBytes, Fsync fsync, long fsyncIntervalMillis, WhenFull whenFull,
                           long deadLetterMaxBytes) {

  /**
   * ALWAYS forces every frame to disk before it counts as spooled: survives power loss. INTERVAL forces
   * them every {@code fsyncIntervalMillis}, on a timer, so a power loss loses at most that last
   * interval. NEVER leaves it to the OS: a killed process still loses nothing, a power loss may.
   */
  public enum Fsync { ALWAYS, INTERVAL, NEVER }

  /** DROP_OLDEST deletes the oldest segment to make room; DROP_NEWEST refuses the new frame. */
  public enum WhenFull { DROP_OLDEST, DROP_NEWEST }

  public SpoolConfig {
    segmentBytes = Math.max(4096, Math.min(segmentBytes, maxBytes / 4));
  }

  /** Empty when the section names no {@code dir}: spooling is off (and any other key of the section is an error). */
  public static Optional<SpoolConfig> from(ConfigView config) {
    Optional<String> dir = config.optionalString("dir");
    long maxBytes = config.longValue("maxBytes", 1L << 30, 64 * 1024, Long.MAX_VALUE / 4);
    long segmentBytes = config.longValue("segmentBytes", 16L << 20, 4096, 1L << 30);
    Fsync fsync = config.choice("fsync", Fsync.INTERVAL, Fsync.class);
    long fsyncIntervalMillis = config.longValue("fsyncIntervalMs", 1_000, 1, 3_600_000);
    WhenFull whenFull = config.choice("whenFull", WhenFull.DROP_OLDEST, WhenFull.class);
    long deadLetterMaxBytes = config.longValue("deadLetterMaxBytes", 64L << 20, 64 * 1024, Long.MAX_VALUE / 4);
    if (dir.isEmpty()) {
      Optional<String> other = config.presentKeys().stream().findFirst();
      if (other.isPresent()) {
        throw config.error(other.get(), "has no effect without a spool dir");
      }
      return Optional.empty();
    }
    return Optional.of(new SpoolConfig(Path.of(dir.get()), maxBytes, segmentBytes, fsync, fsyncIntervalMillis, whenFull,
      deadLetterMaxBytes));
  }

  /** The dead letters' own folder, inside the spool's. */
  public Path deadLetterFolder() {
    return folder.resolve("dead");
  }
}
