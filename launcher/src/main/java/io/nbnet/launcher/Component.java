package io.nbnet.launcher;

import io.nbnet.collector.CollectorConfig;
import io.nbnet.collector.CollectorVerticle;
import io.nbnet.support.config.ConfigView;
import io.nbnet.saver.SaverConfig;
import io.nbnet.saver.SaverVerticle;
import io.nbnet.trans.TransConfig;
import io.nbnet.trans.TransVerticle;
import io.vertx.core.Deployable;

import java.util.function.Consumer;
import java.util.function.Supplier;

/** The roles a process can run, in the order they start: downstream first, so nothing sends into a void. */
public enum Component {
  SAVER("saver", SaverVerticle::new, SaverConfig::from),
  TRANS("trans", TransVerticle::new, TransConfig::from),
  COLLECTOR("collector", CollectorVerticle::new, CollectorConfig::from);

  private final String configName;
  private final Supplier<Deployable> verticle;
  private final Consumer<ConfigView> validator;

  Component(String configName, Supplier<Deployable> verticle, Consumer<ConfigView> validator) {
    this.configName = configName;
    this.verticle = verticle;
    this.validator = validator;
  }

  /** The name in the {@code components} list, which is also the key of its config section. */
  public String configName() {
    return configName;
  }

  Supplier<Deployable> verticle() {
    return verticle;
  }

  /** Throws a ConfigException naming the bad key. */
  void validate(ConfigView section) {
    validator.accept(section);
  }

  static Component named(String name) {
    for (Component component : values()) {
      if (component.configName.equals(name)) {
        return component;
      }
    }
    return null;
  }
}
