package io.nbnet.rules.template;

/** A template that does not parse, or a step of one that cannot run; the message names the place. */
public final class TemplateException extends RuntimeException {

  public TemplateException(String message) {
    super(message);
  }
}
