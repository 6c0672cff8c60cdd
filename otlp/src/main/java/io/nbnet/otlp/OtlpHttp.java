package io.nbnet.otlp;

import com.google.protobuf.CodedOutputStream;
import com.google.protobuf.InvalidProtocolBufferException;
import io.nbnet.remotewrite.DecodedWrite;
import io.nbnet.remotewrite.UnreadableWriteException;
import io.nbnet.support.http.GzipBodies;
import io.opentelemetry.proto.collector.metrics.v1.ExportMetricsPartialSuccess;
import io.opentelemetry.proto.collector.metrics.v1.ExportMetricsServiceRequest;
import io.opentelemetry.proto.collector.metrics.v1.ExportMetricsServiceResponse;
import io.vertx.core.buffer.Buffer;
import io.vertx.core.json.JsonObject;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.util.Locale;

/**
 * OTLP/HTTP's side of {@code POST /v1/metrics}, whatever server takes it: the request read (protobuf or
 * JSON by its {@code Content-Type}, gzipped or not) and the answers in the same encoding: 200 with an
 * {@code ExportMetricsServiceResponse} ({@code partial_success} naming what was refused), and the
 * {@code google.rpc.Status} of a 400 or 503.
 */
public final class OtlpHttp {

  /** google.rpc.Code: INVALID_ARGUMENT, UNAVAILABLE. */
  public static final int INVALID_ARGUMENT = 3;
  public static final int UNAVAILABLE = 14;

  private OtlpHttp() {
  }

  /** True for an OTLP/JSON request ({@code application/json}); protobuf otherwise. */
  public static boolean isJson(String contentType) {
    return contentType != null && contentType.toLowerCase(Locale.ROOT).startsWith("application/json");
  }

  /**
   * The request of a body.
   *
   * @param maxUnpacked    what a gzipped body may unpack to
   * @param maxUnpackedKey the configuration key of that limit, for the message
   * @throws UnreadableWriteException for a body that is not gzip where it says so, unpacks past the limit, is not JSON or not protobuf
   */
  public static ExportMetricsServiceRequest read(Buffer body, String contentType, String contentEncoding, int maxUnpacked,
                                                 String maxUnpackedKey) {
    Buffer unpacked = body == null ? Buffer.buffer() : body;
    if (contentEncoding != null && contentEncoding.trim().equalsIgnoreCase("gzip")) {
      try {
        unpacked = GzipBodies.unpack(unpacked, maxUnpacked);
      } catch (IOException e) {
        throw new UnreadableWriteException("the body says Content-Encoding: gzip but is not gzip");
      } catch (GzipBodies.TooLarge e) {
        throw new UnreadableWriteException("the body unpacks to more than " + maxUnpackedKey + " (" + maxUnpacked + ")");
      }
    }
    if (isJson(contentType)) {
      try {
        return OtlpJson.parse(unpacked.toString(StandardCharsets.UTF_8));
      } catch (IllegalArgumentException e) {
        throw new UnreadableWriteException(e.getMessage());
      }
    }
    try {
      return ExportMetricsServiceRequest.parseFrom(unpacked.getBytes());
    } catch (InvalidProtocolBufferException e) {
      throw new UnreadableWriteException("the body is not a protobuf ExportMetricsServiceRequest: " + e.getMessage());
    }
  }

  /** The 200's body: empty, or the points refused and why. */
  public static Buffer success(DecodedWrite decoded, boolean json) {
    long rejected = decoded.refusedSamples() + decoded.leftOut().values().stream().mapToLong(Long::longValue).sum();
    String problems = decoded.problems();
    if (json) {
      JsonObject body = new JsonObject();
      if (rejected > 0 || !problems.isEmpty()) {
        body.put("partialSuccess", new JsonObject().put("rejectedDataPoints", Long.toString(rejected)).put("errorMessage", problems));
      }
      return body.toBuffer();
    }
    ExportMetricsServiceResponse.Builder response = ExportMetricsServiceResponse.newBuilder();
    if (rejected > 0 || !problems.isEmpty()) {
      response.setPartialSuccess(ExportMetricsPartialSuccess.newBuilder().setRejectedDataPoints(rejected).setErrorMessage(problems));
    }
    return Buffer.buffer(response.build().toByteArray());
  }

  /** A {@code google.rpc.Status} (code and message; no details), in the request's encoding. */
  public static Buffer status(int code, String message, boolean json) {
    if (json) {
      return new JsonObject().put("code", code).put("message", message).toBuffer();
    }
    ByteArrayOutputStream bytes = new ByteArrayOutputStream();
    CodedOutputStream out = CodedOutputStream.newInstance(bytes);
    try {
      out.writeInt32(1, code);
      out.writeString(2, message);
      out.flush();
    } catch (IOException e) {
      throw new IllegalStateException("writing to memory", e);
    }
    return Buffer.buffer(bytes.toByteArray());
  }

  /** The {@code Content-Type} of an answer in the request's encoding. */
  public static String contentType(boolean json) {
    return json ? "application/json" : "application/x-protobuf";
  }
}
