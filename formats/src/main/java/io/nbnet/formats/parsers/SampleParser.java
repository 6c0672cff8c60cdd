package io.nbnet.formats.parsers;

/**
 * Reads one data format into samples of one host, like Telegraf's parsers: every format is a class
 * of its own behind this interface. A part of the input that cannot be read is reported in the
 * result and skipped; the caller decides whether the rest is kept (a plugin's output) or the whole
 * input refused (a pushed body).
 */
public interface SampleParser {

  /**
   * @param input    the whole text, e.g. a command's standard output or a request body
   * @param defaults the host of every sample, and the time of samples that carry none
   */
  ParsedSamples parse(String input, SampleDefaults defaults);
}
