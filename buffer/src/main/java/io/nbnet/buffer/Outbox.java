package io.nbnet.buffer;

import io.vertx.core.Future;
import io.vertx.core.Vertx;
import io.vertx.core.WorkerExecutor;
import io.vertx.core.buffer.Buffer;

import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.Iterator;
import java.util.List;
import java.util.Optional;
import java.util.Set;
import java.util.logging.Logger;

/**
 * The outbox: where frames wait for the next hop, in order: memory in front, the disk spool behind it (when one is
 * configured). The oldest frames are in memory, up to {@code maxMemoryFrames}; past that, frames go
 * to the spool, and so does every newer frame until the spool is drained, so order holds. Without a
 * spool a full memory drops its oldest frame. The sender {@link #take}s frames, and then either
 * {@link #acknowledge}s the oldest it took (delivered), {@link #rewind}s (the link broke: they come
 * back first), or {@link #deadLetter}s one that must never be sent again.
 * <p>
 * The spool's disk I/O runs on the buffer's own worker; every method here is called on one event
 * loop and returns at once, or with a future. The counts are safe to read from any thread.
 */
public final class Outbox {

  private static final Logger log = Logger.getLogger(Outbox.class.getName());

  /** A frame handed to the sender (its payload), and where it came from. */
  public static final class Taken {
    private final Buffer payload;
    private final boolean fromDisk;
    private final long epoch;

    private Taken(Buffer payload, boolean fromDisk, long epoch) {
      this.payload = payload;
      this.fromDisk = fromDisk;
      this.epoch = epoch;
    }

    public Buffer payload() {
      return payload;
    }
  }

  private final Vertx vertx;
  private final String name;
  private final int maxMemoryFrames;
  private final Optional<DiskSpool> spool;
  private final WorkerExecutor worker;
  private final ArrayDeque<Buffer> memory = new ArrayDeque<>();
  private final ArrayDeque<Taken> taken = new ArrayDeque<>();
  private final BufferStats stats = new BufferStats();
  /** Frames on disk not yet taken, counted as they were appended, read and rewound. */
  private long diskUnread;
  /** Frames taken from memory and not yet acknowledged: written on the event loop, read by meters anywhere. */
  private volatile int takenFromMemory;
  private int appendsRunning;
  private long fsyncTimer = -1;
  private boolean closed;

  private Outbox(Vertx vertx, String name, int maxMemoryFrames, Optional<DiskSpool> spool, WorkerExecutor worker) {
    this.vertx = vertx;
    this.name = name;
    this.maxMemoryFrames = maxMemoryFrames;
    this.spool = spool;
    this.worker = worker;
  }

  /** A buffer in memory only: past {@code maxMemoryFrames} the oldest frame is dropped. */
  public static Outbox inMemory(Vertx vertx, String name, int maxMemoryFrames) {
    return new Outbox(vertx, name, maxMemoryFrames, Optional.empty(), null);
  }

  /**
   * A buffer with a spool behind its memory, opened on a worker of its own; frames the spool holds
   * from an earlier run come first.
   */
  public static Future<Outbox> open(Vertx vertx, String name, int maxMemoryFrames, Optional<SpoolConfig> spoolOptions) {
    if (spoolOptions.isEmpty()) {
      return Future.succeededFuture(inMemory(vertx, name, maxMemoryFrames));
    }
    SpoolConfig options = spoolOptions.get();
    WorkerExecutor worker = vertx.createSharedWorkerExecutor("nbnet-spool-" + options.folder(), 1);
    return worker.executeBlocking(() -> DiskSpool.open(options))
      .map(opened -> {
        Outbox buffer = new Outbox(vertx, name, maxMemoryFrames, Optional.of(opened), worker);
        buffer.diskUnread = opened.pendingFrames();
        buffer.refreshSpoolStats(opened);
        buffer.startFsyncTimer(options);
        return buffer;
      })
      .onFailure(failure -> worker.close());
  }

  public String name() {
    return name;
  }

  public BufferStats stats() {
    return stats;
  }

  public boolean hasSpool() {
    return spool.isPresent();
  }

  /**
   * Adds a frame. The future completes once the frame is held: at once in memory, or once written to
   * the spool (forced to disk with {@code fsync: always}); it fails when the spool refused it (full
   * with drop-newest, or the disk failed), in which case the frame is not held.
   */
  public Future<Void> push(Buffer frame) {
    if (closed) {
      return Future.failedFuture(new IllegalStateException(name + ": the buffer is closed"));
    }
    if (spool.isPresent() && (diskUnread > 0 || appendsRunning > 0 || memory.size() >= maxMemoryFrames)) {
      if (diskUnread == 0 && appendsRunning == 0 && maxMemoryFrames > 0) {
        log.warning(name + ": " + memory.size() + " frames wait in memory; newer ones go to the spool in " + spool.get().options().folder());
      }
      return append(frame);
    }
    if (memory.size() >= maxMemoryFrames && !memory.isEmpty()) {
      memory.poll();
      long dropped = stats.addDropped(1);
      if (dropped == 1 || dropped % 1000 == 0) {
        log.warning(name + ": memory is full (" + maxMemoryFrames + " frames) and there is no spool: dropped the oldest frame, "
          + dropped + " dropped so far");
      }
    }
    memory.add(frame);
    stats.setQueued(memory.size());
    return Future.succeededFuture();
  }

  /**
   * Frames not yet delivered: waiting in memory, taken from it and not acknowledged, and written to the
   * spool and not acknowledged (taken or not). Safe to read from any thread.
   */
  public long undelivered() {
    return stats.queued() + takenFromMemory + stats.spooled();
  }

  /** True when a {@link #take} would find frames. */
  public boolean hasWaiting() {
    return !memory.isEmpty() || diskUnread > 0;
  }

  /**
   * Up to {@code max} of the oldest frames not yet taken (none when none wait). Call again only once
   * the previous take has completed.
   */
  public Future<List<Taken>> take(int max) {
    if (!memory.isEmpty()) {
      List<Taken> batch = new ArrayList<>();
      while (batch.size() < max && !memory.isEmpty()) {
        Taken next = new Taken(memory.poll(), false, 0);
        taken.add(next);
        batch.add(next);
      }
      takenFromMemory += batch.size();
      stats.setQueued(memory.size());
      return Future.succeededFuture(batch);
    }
    if (spool.isEmpty() || diskUnread == 0) {
      return Future.succeededFuture(List.of());
    }
    DiskSpool disk = spool.get();
    return worker.executeBlocking(() -> {
      DiskRead read = new DiskRead(disk.read(max), disk.epoch());
      refreshSpoolStats(disk);
      return read;
    }).map(read -> {
      List<Taken> batch = new ArrayList<>();
      for (byte[] frame : read.frames()) {
        Taken next = new Taken(Buffer.buffer(frame), true, read.epoch());
        taken.add(next);
        batch.add(next);
      }
      diskUnread = read.frames().isEmpty() ? 0 : Math.max(0, diskUnread - read.frames().size());
      return batch;
    });
  }

  private record DiskRead(List<byte[]> frames, long epoch) {
  }

  /** The {@code count} oldest frames taken were delivered (or dead-lettered): they are gone for good. */
  public void acknowledge(int count) {
    int fromDisk = 0;
    long epoch = 0;
    for (int i = 0; i < count && !taken.isEmpty(); i++) {
      Taken done = taken.poll();
      if (done.fromDisk) {
        fromDisk++;
        epoch = done.epoch;
      } else {
        takenFromMemory--;
      }
    }
    if (fromDisk > 0) {
      DiskSpool disk = spool.get();
      int frames = fromDisk;
      long readEpoch = epoch;
      worker.executeBlocking(() -> {
        disk.acknowledge(frames, readEpoch);
        refreshSpoolStats(disk);
        return null;
      });
    }
  }

  /**
   * The frames taken and not acknowledged come back first, in their order (the link broke), except
   * those in {@code delivered}: answered OK but not yet acknowledged because an older frame was still
   * waiting (replies over the event bus come in any order). Frames from the spool are read again from
   * its cursor, delivered or not: the next hop's keyed rows make a second copy harmless.
   */
  public Future<Void> rewind(Set<Taken> delivered) {
    boolean diskFramesTaken = false;
    for (Iterator<Taken> it = taken.descendingIterator(); it.hasNext(); ) {
      Taken frame = it.next();
      if (frame.fromDisk) {
        diskFramesTaken = true;
      } else if (!delivered.contains(frame)) {
        memory.addFirst(frame.payload);
      }
    }
    taken.clear();
    takenFromMemory = 0;
    stats.setQueued(memory.size());
    if (!diskFramesTaken) {
      return Future.succeededFuture();
    }
    DiskSpool disk = spool.get();
    return worker.executeBlocking(() -> {
      disk.rewind();
      refreshSpoolStats(disk);
      return disk.pendingFrames();
    }).map(pending -> {
      diskUnread = Math.max(diskUnread, pending);
      return null;
    });
  }

  /**
   * A frame that must never be sent again as it is (the next hop refused it for good): kept with the
   * reason among the spool's dead letters, or, without a spool, logged and dropped. It still has to be
   * acknowledged, in its turn, like a delivered one.
   */
  public Future<Void> deadLetter(Taken frame, String reason) {
    stats.addDeadLettered(1);
    if (spool.isEmpty()) {
      log.warning(name + ": dropped a frame the next hop refused for good (no spool keeps dead letters): " + reason);
      return Future.succeededFuture();
    }
    DiskSpool disk = spool.get();
    byte[] bytes = frame.payload.getBytes();
    return worker.executeBlocking(() -> {
      disk.deadLetter(reason, bytes);
      refreshSpoolStats(disk);
      return null;
    }).mapEmpty();
  }

  /**
   * Closes the buffer. Frames only memory holds (waiting, or taken and not acknowledged) go to the
   * spool first, when there is one, so a stop loses nothing; without one they are counted as lost.
   */
  public Future<Void> close() {
    closed = true;
    if (fsyncTimer >= 0) {
      vertx.cancelTimer(fsyncTimer);
    }
    List<Buffer> unsent = new ArrayList<>();
    taken.stream().filter(frame -> !frame.fromDisk).forEach(frame -> unsent.add(frame.payload));
    unsent.addAll(memory);
    taken.clear();
    takenFromMemory = 0;
    memory.clear();
    stats.setQueued(0);
    if (spool.isEmpty()) {
      if (!unsent.isEmpty()) {
        log.warning(name + ": " + unsent.size() + " frames were not delivered and are lost: no spool is configured");
      }
      return Future.succeededFuture();
    }
    DiskSpool disk = spool.get();
    return worker.<Void>executeBlocking(() -> {
      for (Buffer frame : unsent) {
        disk.append(frame.getBytes());
      }
      disk.close();
      return null;
    }).onSuccess(v -> {
      if (!unsent.isEmpty()) {
        log.info(name + ": " + unsent.size() + " frames written to the spool on stop");
      }
    }).eventually(worker::close);
  }

  private Future<Void> append(Buffer frame) {
    DiskSpool disk = spool.get();
    appendsRunning++;
    byte[] bytes = frame.getBytes();
    return worker.executeBlocking(() -> {
      try {
        return disk.append(bytes);
      } finally {
        refreshSpoolStats(disk);
      }
    }).transform(ar -> {
      appendsRunning--;
      if (ar.succeeded() && ar.result()) {
        diskUnread++;
        return Future.<Void>succeededFuture();
      }
      stats.addDropped(1);
      String why = ar.succeeded() ? "the spool is full (" + disk.options().maxBytes() + " bytes, drop-newest)"
        : "the spool cannot be written: " + ar.cause().getMessage();
      log.warning(name + ": a frame was not spooled: " + why);
      return Future.failedFuture(new SpoolRefusedException(why));
    });
  }

  private void startFsyncTimer(SpoolConfig options) {
    if (options.fsync() != SpoolConfig.Fsync.INTERVAL) {
      return;
    }
    // forced on a timer, not on the next append: a quiet spool must not keep its last frames in the page cache
    DiskSpool disk = spool.get();
    fsyncTimer = vertx.setPeriodic(options.fsyncIntervalMillis(), id -> worker.executeBlocking(() -> {
      disk.sync();
      return null;
    }).onFailure(failure -> log.warning(name + ": cannot force the spool to disk: " + failure.getMessage())));
  }

  /** Runs on the worker after each step on the spool (and once at open): the counts others read. */
  private void refreshSpoolStats(DiskSpool disk) {
    stats.setSpool(disk.pendingFrames(), disk.droppedFrames(), disk.deadLetters(), disk.corruptRecords());
  }
}
