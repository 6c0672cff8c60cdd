package io.nbnet.buffer;

import java.io.IOException;
import java.nio.channels.FileChannel;
import java.nio.channels.FileLock;
import java.nio.channels.OverlappingFileLockException;
import java.nio.file.Files;
import java.nio.file.StandardOpenOption;
import java.util.List;

/**
 * A spool folder: the frames waiting for the next hop ({@link SegmentLog}) and the dead letters beside
 * them, held by one process at a time (a lock on {@code DIR/lock}). Corrupt records found while reading
 * become dead letters, so they are neither sent nor lost without a trace. Blocking: call from one
 * worker thread.
 */
public final class DiskSpool implements AutoCloseable {

  private final SpoolConfig options;
  private final FileChannel lockFile;
  private final FileLock lock;
  private final DeadLetters deadLetters;
  private final SegmentLog frames;
  private long corruptRecords;

  private DiskSpool(SpoolConfig options, FileChannel lockFile, FileLock lock, DeadLetters deadLetters) throws IOException {
    this.options = options;
    this.lockFile = lockFile;
    this.lock = lock;
    this.deadLetters = deadLetters;
    this.frames = SegmentLog.open(options.folder(), options.maxBytes(), options.segmentBytes(), options.whenFull(), corruption -> {
      corruptRecords++;
      deadLetters.add(corruption.reason(), corruption.bytes());
    });
  }

  /**
   * Opens the spool in its folder (creating it) and recovers what an earlier process left.
   *
   * @throws IOException when the folder cannot be used, or another process holds it
   */
  public static DiskSpool open(SpoolConfig options) throws IOException {
    Files.createDirectories(options.folder());
    FileChannel lockFile = FileChannel.open(options.folder().resolve("lock"), StandardOpenOption.CREATE, StandardOpenOption.WRITE);
    FileLock lock;
    try {
      lock = lockFile.tryLock();
    } catch (OverlappingFileLockException e) {
      lock = null; // this very process holds it already
    }
    if (lock == null) {
      lockFile.close();
      throw new IOException("spool " + options.folder() + " is used by another process");
    }
    try {
      return new DiskSpool(options, lockFile, lock, DeadLetters.open(options.deadLetterFolder(), options.deadLetterMaxBytes()));
    } catch (IOException | RuntimeException e) {
      lock.release();
      lockFile.close();
      throw e;
    }
  }

  public SpoolConfig options() {
    return options;
  }

  /**
   * Appends a frame (forced to disk at once with {@code fsync: always}).
   *
   * @return false when the spool was full and the frame was refused (drop-newest)
   * @throws java.io.UncheckedIOException when the disk refused the write; nothing of the frame stays behind
   */
  public boolean append(byte[] frame) {
    boolean written = frames.append(frame);
    if (written && options.fsync() == SpoolConfig.Fsync.ALWAYS) {
      frames.sync();
    }
    return written;
  }

  /** Up to {@code max} frames after those already read, in order; they stay spooled until acknowledged. */
  public List<byte[]> read(int max) {
    return frames.read(max);
  }

  public void rewind() {
    frames.rewind();
  }

  /** Changes whenever frames that were read may have been dropped; see {@link #acknowledge}. */
  public long epoch() {
    return frames.epoch();
  }

  /** The next hop has the {@code count} oldest frames read in {@code readEpoch}. */
  public void acknowledge(int count, long readEpoch) {
    frames.acknowledge(count, readEpoch);
  }

  /** Keeps a frame that must not be sent again as it is, with the reason. */
  public void deadLetter(String reason, byte[] frame) {
    deadLetters.add(reason, frame);
  }

  /**
   * Moves every dead letter back into the spool, after the frames waiting there, to be sent again
   * (after a fix on the next hop). A letter refused again becomes a dead letter again.
   *
   * @return the letters moved
   */
  public int resendDeadLetters() {
    int moved = 0;
    List<DeadLetters.Letter> batch;
    while (!(batch = deadLetters.take(256)).isEmpty()) {
      for (DeadLetters.Letter letter : batch) {
        frames.append(letter.frame());
        moved++;
      }
    }
    frames.sync();
    return moved;
  }

  /** Forces what was written to disk (the fsync timer calls this with {@code fsync: interval}). */
  public void sync() {
    frames.sync();
  }

  /** Frames written and not yet acknowledged. */
  public long pendingFrames() {
    return frames.records();
  }

  public boolean hasUnread() {
    return frames.hasUnread();
  }

  public long droppedFrames() {
    return frames.droppedRecords();
  }

  /** Records that failed their check since the spool was opened (each is a dead letter). */
  public long corruptRecords() {
    return corruptRecords;
  }

  public long deadLetters() {
    return deadLetters.held();
  }

  public long totalBytes() {
    return frames.totalBytes();
  }

  @Override
  public void close() {
    try {
      if (options.fsync() != SpoolConfig.Fsync.NEVER) {
        frames.sync();
      }
      frames.close();
      deadLetters.close();
    } finally {
      try {
        lock.release();
        lockFile.close();
      } catch (IOException e) {
        // the lock goes with the process anyway
      }
    }
  }
}
