package io.nbnet.collector.proc;

import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;

/** The real filesystems of /proc/mounts: pseudo filesystems skipped, each mount point once. */
public final class Mounts {

  /** Kernel and memory filesystems that hold no disk data worth watching. */
  public static final Set<String> PSEUDO_TYPES = Set.of(
    "proc", "sysfs", "devtmpfs", "devpts", "tmpfs", "ramfs", "cgroup", "cgroup2", "cpuset", "securityfs",
    "debugfs", "tracefs", "bpf", "pstore", "mqueue", "hugetlbfs", "autofs", "binfmt_misc", "fusectl",
    "configfs", "rpc_pipefs", "nsfs", "efivarfs", "selinuxfs", "squashfs", "overlay", "sockfs", "pipefs");

  public record Mount(String device, String path, String type) {
  }

  private Mounts() {
  }

  public static List<Mount> parse(String mounts) {
    Map<String, Mount> byPath = new LinkedHashMap<>();
    for (String line : mounts.split("\n")) {
      String[] f = line.trim().split("\\s+");
      if (f.length < 3 || PSEUDO_TYPES.contains(f[2])) {
        continue;
      }
      String path = unescapeOctal(f[1]);
      byPath.putIfAbsent(path, new Mount(unescapeOctal(f[0]), path, f[2]));
    }
    return new ArrayList<>(byPath.values());
  }

  /** /proc/mounts writes spaces and tabs in paths as octal escapes such as {@code \040}. */
  static String unescapeOctal(String field) {
    if (field.indexOf('\\') < 0) {
      return field;
    }
    StringBuilder text = new StringBuilder();
    for (int i = 0; i < field.length(); i++) {
      char c = field.charAt(i);
      if (c == '\\' && i + 3 < field.length() && field.substring(i + 1, i + 4).matches("[0-7]{3}")) {
        text.append((char) Integer.parseInt(field.substring(i + 1, i + 4), 8));
        i += 3;
      } else {
        text.append(c);
      }
    }
    return text.toString();
  }
}
