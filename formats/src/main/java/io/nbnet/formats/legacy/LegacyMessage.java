package io.nbnet.formats.legacy;

import io.nbnet.formats.InvalidPayloadException;
import io.nbnet.formats.Payload;
import io.vertx.core.buffer.Buffer;
import io.vertx.core.json.DecodeException;
import io.vertx.core.json.JsonObject;

import java.math.BigDecimal;
import java.util.Set;

/**
 * The legacy agent's flat JSON object, checked against the columns of the {@code stat_N} tables.
 * {@code Host} is required; {@code Time} defaults to the time of arrival; missing memory and load
 * fields are stored as NULL; all {@code UD_*} keys go, as a JSON object, into {@code user_define}.
 */
public record LegacyMessage(String host, long time, Integer memFree, Integer memUsage, Integer memTotal,
                            String loadAvg, String userDefine) implements Payload {

  public static final int MAX_HOST_CHARS = 256;
  public static final int MAX_LOAD_AVG_CHARS = 128;
  public static final int MAX_USER_DEFINE_CHARS = 4096;

  /** True when the payload looks like a JSON object (it may still be invalid). */
  public static boolean looksLegacy(Buffer payload) {
    for (int i = 0; i < payload.length(); i++) {
      byte b = payload.getByte(i);
      if (b != ' ' && b != '\t' && b != '\r' && b != '\n') {
        return b == '{';
      }
    }
    return false;
  }

  @Override
  public Set<String> hosts() {
    return Set.of(host);
  }

  public static LegacyMessage parse(Buffer payload, long nowSeconds) {
    JsonObject json;
    try {
      json = new JsonObject(payload);
    } catch (DecodeException | ClassCastException e) {
      throw new InvalidPayloadException("legacy frame: invalid JSON: " + firstLine(e.getMessage()));
    }
    Object host = json.getValue("Host");
    if (!(host instanceof String) || ((String) host).isEmpty()) {
      throw new InvalidPayloadException("legacy frame: \"Host\" must be a non-empty string");
    }
    if (((String) host).length() > MAX_HOST_CHARS) {
      throw new InvalidPayloadException("legacy frame: \"Host\" is longer than " + MAX_HOST_CHARS + " characters");
    }
    JsonObject userDefine = new JsonObject();
    json.forEach(entry -> {
      if (entry.getKey().startsWith("UD_")) {
        userDefine.put(entry.getKey(), entry.getValue());
      }
    });
    String userDefineText = userDefine.encode();
    if (userDefineText.length() > MAX_USER_DEFINE_CHARS) {
      throw new InvalidPayloadException("legacy frame: the UD_* values take " + userDefineText.length()
        + " characters as JSON, more than the " + MAX_USER_DEFINE_CHARS + " of user_define");
    }
    String loadAvg = loadAvgText(json.getValue("LoadAvg"));
    return new LegacyMessage((String) host,
      json.getValue("Time") == null ? nowSeconds : integer(json, "Time", Long.MIN_VALUE, Long.MAX_VALUE),
      intColumn(json, "MemFree"), intColumn(json, "MemUsage"), intColumn(json, "MemTotal"),
      loadAvg, userDefineText);
  }

  private static Integer intColumn(JsonObject json, String key) {
    return json.getValue(key) == null ? null : (int) integer(json, key, Integer.MIN_VALUE, Integer.MAX_VALUE);
  }

  private static long integer(JsonObject json, String key, long min, long max) {
    Object value = json.getValue(key);
    if (!(value instanceof Number)) {
      throw new InvalidPayloadException("legacy frame: \"" + key + "\" must be a number");
    }
    BigDecimal number = new BigDecimal(value.toString());
    if (number.compareTo(BigDecimal.valueOf(min)) < 0 || number.compareTo(BigDecimal.valueOf(max)) > 0) {
      throw new InvalidPayloadException("legacy frame: \"" + key + "\" is out of range: " + value);
    }
    return number.longValue();
  }

  private static String loadAvgText(Object value) {
    if (value == null) {
      return null;
    }
    if (!(value instanceof Number) && !(value instanceof String)) {
      throw new InvalidPayloadException("legacy frame: \"LoadAvg\" must be a number");
    }
    String text = value.toString();
    if (text.length() > MAX_LOAD_AVG_CHARS) {
      throw new InvalidPayloadException("legacy frame: \"LoadAvg\" is longer than " + MAX_LOAD_AVG_CHARS + " characters");
    }
    return text;
  }

  private static String firstLine(String message) {
    if (message == null) {
      return "unreadable";
    }
    int newline = message.indexOf('\n');
    return newline < 0 ? message : message.substring(0, newline);
  }
}
