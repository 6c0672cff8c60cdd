package io.nbnet.launcher;

import java.util.Arrays;
import java.util.Optional;

/** The roles a process can run, in the order they start: downstream first, so nothing sends into a void. */
public enum Component {
  SAVER("saver"),
  TRANS("trans"),
  COLLECTOR("collector");

  private final String configName;

  Component(String configName) {
    this.configName = configName;
  }

  /** The name in the {@code components} list, which is also the key of its config section. */
  public String configName() {
    return configName;
  }

  static Optional<Component> named(String name) {
    return Arrays.stream(values()).filter(component -> component.configName.equals(name)).findFirst();
  }
}
