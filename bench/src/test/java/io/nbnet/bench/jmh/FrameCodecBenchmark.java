package io.nbnet.bench.jmh;

import io.nbnet.wire.FrameParser;
import io.nbnet.wire.Frames;
import io.nbnet.formats.nb1.NativeBatch;
import io.nbnet.formats.nb1.NativeFormat;
import io.nbnet.formats.Sample;
import io.vertx.core.buffer.Buffer;
import org.openjdk.jmh.annotations.Benchmark;
import org.openjdk.jmh.annotations.BenchmarkMode;
import org.openjdk.jmh.annotations.Fork;
import org.openjdk.jmh.annotations.Measurement;
import org.openjdk.jmh.annotations.Mode;
import org.openjdk.jmh.annotations.OperationsPerInvocation;
import org.openjdk.jmh.annotations.OutputTimeUnit;
import org.openjdk.jmh.annotations.Param;
import org.openjdk.jmh.annotations.Scope;
import org.openjdk.jmh.annotations.Setup;
import org.openjdk.jmh.annotations.State;
import org.openjdk.jmh.annotations.TearDown;
import org.openjdk.jmh.annotations.Warmup;
import org.openjdk.jmh.infra.Blackhole;

import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;

/**
 * The frame codec alone: parsing a chunk of 100 pipelined frames (as a 1 x 100 load client sends
 * them), encoding reply headers, and decoding a native frame of 100 samples. Run with {@code ./nbnet jmh FrameCodecBenchmark}.
 */
@State(Scope.Thread)
@BenchmarkMode(Mode.Throughput)
@OutputTimeUnit(TimeUnit.MICROSECONDS)
@Warmup(iterations = 3, time = 1)
@Measurement(iterations = 5, time = 1)
@Fork(1)
public class FrameCodecBenchmark {

  private static final int FRAMES_PER_CHUNK = 100;
  private static final int FULL_SIZE_BYTES = 4 * 1024 * 1024;
  /** As many samples as fit in FULL_SIZE_BYTES (checked at setup). */
  private static final int FULL_SIZE_SAMPLES = 80_000;

  @Param({"1", "200"})
  int payloadBytes;

  private Buffer chunk;
  private Buffer reply;
  private Buffer nativeFrame;
  private Buffer fullSizeNativeFrame;

  @Setup
  public void buildChunk() {
    chunk = Buffer.buffer();
    Buffer frame = Frames.encode(Buffer.buffer("x".repeat(payloadBytes)));
    for (int i = 0; i < FRAMES_PER_CHUNK; i++) {
      chunk.appendBuffer(frame);
    }
    reply = Buffer.buffer("a");
    List<Sample> samples = new ArrayList<>();
    for (int i = 0; i < FRAMES_PER_CHUNK; i++) {
      samples.add(Sample.numeric("web-host-0042", 1_700_000_000_000L, "f" + i % 8 + ".metric_" + i, i % 3 == 0 ? "device=sda" : "", i * 1.5));
    }
    nativeFrame = NativeFormat.encode("collector@web-host-0042", 7, samples);
    List<Sample> many = new ArrayList<>();
    for (int i = 0; i < FULL_SIZE_SAMPLES; i++) {
      many.add(Sample.numeric("web-host-" + i / 91, 1_700_000_000_000L + i / 91 * 10, "f" + i % 8 + ".metric_" + i % 91,
        i % 3 == 0 ? "device=sda" : "", i * 1.5));
    }
    fullSizeNativeFrame = NativeFormat.encode("collector@web-host-0042", 8, many);
    if (fullSizeNativeFrame.length() > FULL_SIZE_BYTES) {
      throw new IllegalStateException("the full-size frame is " + fullSizeNativeFrame.length() + " bytes");
    }
  }

  /** Samples decoded per microsecond from a native frame just under the largest default size (4 MiB), of many hosts. */
  @Benchmark
  @OperationsPerInvocation(FULL_SIZE_SAMPLES)
  public NativeBatch decodeFullSizeNativeFrame() {
    return NativeFormat.decode(fullSizeNativeFrame);
  }

  @TearDown
  public void printFullSizeFrame() {
    System.out.println("full-size native frame: " + fullSizeNativeFrame.length() + " bytes, " + FULL_SIZE_SAMPLES + " samples");
  }

  /** Samples decoded per microsecond from a native frame of 100 samples of one host, as the saver receives them. */
  @Benchmark
  @OperationsPerInvocation(FRAMES_PER_CHUNK)
  public NativeBatch decodeNativeFrame() {
    return NativeFormat.decode(nativeFrame);
  }

  /** Frames parsed per microsecond. */
  @Benchmark
  @OperationsPerInvocation(FRAMES_PER_CHUNK)
  public void parsePipelinedChunk(Blackhole sink) {
    FrameParser parser = new FrameParser(1 << 20, sink::consume, sink::consume);
    parser.handle(chunk);
  }

  /** Reply frames encoded per microsecond, into one batch buffer as the frame server does. */
  @Benchmark
  @OperationsPerInvocation(FRAMES_PER_CHUNK)
  public Buffer encodeReplyBatch() {
    Buffer batch = Buffer.buffer(FRAMES_PER_CHUNK * (Frames.HEADER_LENGTH + reply.length()));
    for (int i = 0; i < FRAMES_PER_CHUNK; i++) {
      Frames.appendHeader(batch, reply.length());
      batch.appendBuffer(reply);
    }
    return batch;
  }
}
