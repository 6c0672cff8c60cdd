package io.nbnet.promql;

import java.util.ArrayList;
import java.util.Arrays;
import java.util.Collection;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;

/**
 * A series' label set: names sorted, each once, no empty value (as Prometheus keeps them). Immutable;
 * the changing methods return a new set.
 */
public final class Labels implements Comparable<Labels> {

  public static final String METRIC_NAME = "__name__";
  public static final Labels EMPTY = new Labels(new String[0], new String[0]);

  private final String[] names;
  private final String[] values;
  private int hash;

  private Labels(String[] names, String[] values) {
    this.names = names;
    this.values = values;
  }

  /** From name, value, name, value ...; empty values are left out. */
  public static Labels of(String... pairs) {
    Map<String, String> map = new TreeMap<>();
    for (int i = 0; i < pairs.length; i += 2) {
      map.put(pairs[i], pairs[i + 1]);
    }
    return of(map);
  }

  public static Labels of(Map<String, String> map) {
    TreeMap<String, String> sorted = new TreeMap<>(map);
    sorted.values().removeIf(String::isEmpty);
    return new Labels(sorted.keySet().toArray(new String[0]), sorted.values().toArray(new String[0]));
  }

  public int size() {
    return names.length;
  }

  public String name(int i) {
    return names[i];
  }

  public String value(int i) {
    return values[i];
  }

  /** The label's value, "" when it is absent. */
  public String get(String name) {
    int i = Arrays.binarySearch(names, name);
    return i >= 0 ? values[i] : "";
  }

  public boolean has(String name) {
    return Arrays.binarySearch(names, name) >= 0;
  }

  public Map<String, String> toMap() {
    Map<String, String> map = new TreeMap<>();
    for (int i = 0; i < names.length; i++) {
      map.put(names[i], values[i]);
    }
    return map;
  }

  /** With {@code name} set to {@code value}; an empty value removes it. */
  public Labels with(String name, String value) {
    Map<String, String> map = toMap();
    if (value.isEmpty()) {
      map.remove(name);
    } else {
      map.put(name, value);
    }
    return of(map);
  }

  public Labels without(Collection<String> drop) {
    List<String> keptNames = new ArrayList<>();
    List<String> keptValues = new ArrayList<>();
    for (int i = 0; i < names.length; i++) {
      if (!drop.contains(names[i])) {
        keptNames.add(names[i]);
        keptValues.add(values[i]);
      }
    }
    return keptNames.size() == names.length ? this : new Labels(keptNames.toArray(new String[0]), keptValues.toArray(new String[0]));
  }

  public Labels keep(Collection<String> kept) {
    List<String> keptNames = new ArrayList<>();
    List<String> keptValues = new ArrayList<>();
    for (int i = 0; i < names.length; i++) {
      if (kept.contains(names[i])) {
        keptNames.add(names[i]);
        keptValues.add(values[i]);
      }
    }
    return new Labels(keptNames.toArray(new String[0]), keptValues.toArray(new String[0]));
  }

  public Labels withoutMetricName() {
    return has(METRIC_NAME) ? without(List.of(METRIC_NAME)) : this;
  }

  /** A key of the values of {@code only} (or of all labels but {@code except}): equal keys, equal values. */
  public String signature(Collection<String> only, Collection<String> except) {
    StringBuilder key = new StringBuilder();
    for (int i = 0; i < names.length; i++) {
      boolean in = only != null ? only.contains(names[i]) : !except.contains(names[i]);
      if (in) {
        key.append(names[i]).append('\u0000').append(values[i]).append('\u0001');
      }
    }
    return key.toString();
  }

  @Override
  public boolean equals(Object other) {
    return other instanceof Labels labels && Arrays.equals(names, labels.names) && Arrays.equals(values, labels.values);
  }

  @Override
  public int hashCode() {
    if (hash == 0) {
      hash = 31 * Arrays.hashCode(names) + Arrays.hashCode(values);
    }
    return hash;
  }

  /** Prometheus's order of label sets: label by label, name then value; a prefix first. */
  @Override
  public int compareTo(Labels other) {
    int n = Math.min(names.length, other.names.length);
    for (int i = 0; i < n; i++) {
      int byName = names[i].compareTo(other.names[i]);
      if (byName != 0) {
        return byName;
      }
      int byValue = values[i].compareTo(other.values[i]);
      if (byValue != 0) {
        return byValue;
      }
    }
    return Integer.compare(names.length, other.names.length);
  }

  /** {@code {a="1", b="2"}}, as Prometheus prints a label set. */
  @Override
  public String toString() {
    StringBuilder text = new StringBuilder("{");
    for (int i = 0; i < names.length; i++) {
      if (i > 0) {
        text.append(", ");
      }
      text.append(names[i]).append('=').append(Strings.quote(values[i]));
    }
    return text.append('}').toString();
  }
}
