package io.nbnet.collector.push;

import io.vertx.core.http.HttpServerResponse;
import io.vertx.core.json.JsonObject;
import io.vertx.ext.web.RoutingContext;

/**
 * How one push endpoint answers, in the shape its clients expect: nbnet's own JSON (Open-Falcon's
 * agent endpoint), InfluxDB 1.x ({@code /write}: 204, {@code {"error": ...}} and the
 * {@code X-Influxdb-Error} header) or InfluxDB 2.x ({@code /api/v2/write}: 204,
 * {@code {"code": ..., "message": ...}}). A client library raises an error on any other status or shape.
 */
enum PushDialect {

  NATIVE {
    @Override
    void stored(RoutingContext ctx, int samples) {
      ctx.response().putHeader("Content-Type", "application/json").end(new JsonObject().put("samples", samples).toBuffer());
    }

    @Override
    void refuse(RoutingContext ctx, int status, String message) {
      json(ctx, status, new JsonObject().put("error", message));
    }
  },

  INFLUX_V1 {
    @Override
    void stored(RoutingContext ctx, int samples) {
      versioned(ctx).setStatusCode(204).end();
    }

    @Override
    void refuse(RoutingContext ctx, int status, String message) {
      // a header cannot carry a line break
      versioned(ctx).putHeader("X-Influxdb-Error", message.replaceAll("[\\r\\n]", " "));
      json(ctx, status, new JsonObject().put("error", message));
    }
  },

  INFLUX_V2 {
    @Override
    void stored(RoutingContext ctx, int samples) {
      versioned(ctx).setStatusCode(204).end();
    }

    @Override
    void refuse(RoutingContext ctx, int status, String message) {
      String code = switch (status) {
        case 401 -> "unauthorized";
        case 413 -> "request too large";
        case 429 -> "too many requests";
        case 503 -> "unavailable";
        default -> status >= 500 ? "internal error" : "invalid";
      };
      versioned(ctx);
      json(ctx, status, new JsonObject().put("code", code).put("message", message));
    }
  };

  /** The version InfluxDB clients read from a write's or a ping's answer. */
  static final String INFLUX_VERSION = "1.8.10";

  /** The push was kept: all {@code samples} of it. */
  abstract void stored(RoutingContext ctx, int samples);

  /** The push (or part of it) was not kept, for {@code message}; nothing when the answer has gone already. */
  final void refused(RoutingContext ctx, int status, String message) {
    if (!ctx.response().ended()) {
      refuse(ctx, status, message);
    }
  }

  abstract void refuse(RoutingContext ctx, int status, String message);

  static HttpServerResponse versioned(RoutingContext ctx) {
    return ctx.response().putHeader("X-Influxdb-Version", INFLUX_VERSION).putHeader("X-Influxdb-Build", "OSS");
  }

  private static void json(RoutingContext ctx, int status, JsonObject body) {
    ctx.response().setStatusCode(status).putHeader("Content-Type", "application/json").end(body.toBuffer());
  }
}
