package io.nbnet.launcher;

import io.nbnet.support.config.ConfigException;
import io.vertx.config.ConfigRetriever;
import io.vertx.config.ConfigRetrieverOptions;
import io.vertx.config.ConfigStoreOptions;
import io.vertx.core.Vertx;
import io.vertx.core.json.DecodeException;
import io.vertx.core.json.JsonObject;

import java.nio.file.Path;
import java.util.function.Consumer;
import java.util.logging.Logger;

/**
 * Watches the configuration file with vertx-config (a scan every {@code scanMillis}). A version whose
 * JSON differs from the last one is parsed (once): when it is not valid JSON or not a valid
 * configuration it is refused with a log line and the running one stays; a valid one is handed to
 * {@code apply}.
 */
final class ConfigReloader {

  private static final Logger log = Logger.getLogger(ConfigReloader.class.getName());

  private final Vertx vertx;
  private final Path file;
  private final long scanMillis;
  private final Consumer<NbnetConfig> apply;
  private ConfigRetriever retriever;
  /** The file's JSON as last parsed (at first, the running configuration's). */
  private JsonObject last;

  ConfigReloader(Vertx vertx, Path file, long scanMillis, NbnetConfig running, Consumer<NbnetConfig> apply) {
    this.vertx = vertx;
    this.file = file;
    this.scanMillis = scanMillis;
    this.last = running.json();
    this.apply = apply;
  }

  void start() {
    // read as raw text: a malformed file must be refused here, with a clear message, not skipped
    ConfigStoreOptions store = new ConfigStoreOptions().setType("file").setFormat("raw")
      .setConfig(new JsonObject().put("path", file.toString()).put("raw.key", "text").put("raw.type", "string"));
    retriever = ConfigRetriever.create(vertx, new ConfigRetrieverOptions().addStore(store).setScanPeriod(scanMillis));
    retriever.listen(change -> onNewText(change.getNewConfiguration().getString("text")));
    log.info("watching " + file + " for changes every " + scanMillis + " ms");
  }

  void stop() {
    if (retriever != null) {
      retriever.close();
    }
  }

  private void onNewText(String text) {
    if (text == null) {
      return;
    }
    JsonObject json;
    try {
      json = new JsonObject(text);
    } catch (DecodeException e) {
      log.warning("refused the new configuration in " + file + ": not valid JSON (" + e.getMessage() + "); the running one stays");
      return;
    }
    if (json.equals(last)) {
      return;
    }
    last = json;
    NbnetConfig config;
    try {
      config = NbnetConfig.parse(json);
    } catch (ConfigException e) {
      log.warning("refused the new configuration in " + file + ": " + e.getMessage() + "; the running one stays");
      return;
    }
    apply.accept(config);
  }
}
