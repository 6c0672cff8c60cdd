package io.nbnet.support.config;

/** A configuration that cannot run; the message names the key and what is wrong with it. */
public class ConfigException extends RuntimeException {

  public ConfigException(String message) {
    super(message);
  }
}
