package io.nbnet.support.config;

/** The local event-bus address where a new, validated configuration is published (the whole file's JSON). */
public final class ConfigChanges {

  public static final String ADDRESS = "nbnet.config.changed";

  private ConfigChanges() {
  }
}
