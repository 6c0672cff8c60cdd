package io.nbnet.collector.proc;

import io.nbnet.formats.Tags;

import java.io.IOException;
import java.nio.file.FileStore;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import java.util.logging.Level;
import java.util.logging.Logger;

/** {@code fs}: per mounted filesystem (pseudo ones skipped), size, used and free bytes, and inodes from {@code df}. */
final class FilesystemSource implements Source {

  private static final Logger log = Logger.getLogger(FilesystemSource.class.getName());

  private final HostSampler.InodeSource inodes;

  FilesystemSource(HostSampler.InodeSource inodes) {
    this.inodes = inodes;
  }

  @Override
  public String name() {
    return "fs";
  }

  @Override
  public void sample(ProcFiles files, SampleSink out) {
    List<Mounts.Mount> mounts = Mounts.parse(files.read("mounts"));
    Map<String, DfInodes.Inodes> inodeCounts = inodes.inodes(mounts);
    for (Mounts.Mount mount : mounts) {
      FileStore store;
      try {
        store = Files.getFileStore(Path.of(mount.path()));
      } catch (IOException | RuntimeException e) {
        log.log(Level.FINE, "cannot read filesystem " + mount.path(), e);
        continue;
      }
      String tags = Tags.of(Map.of("mount", mount.path(), "device", mount.device(), "type", mount.type()));
      try {
        long total = store.getTotalSpace();
        out.add("fs.size_bytes", tags, total);
        out.add("fs.used_bytes", tags, total - store.getUnallocatedSpace());
        out.add("fs.free_bytes", tags, store.getUsableSpace());
      } catch (IOException e) {
        log.log(Level.FINE, "cannot read the sizes of " + mount.path(), e);
      }
      DfInodes.Inodes counts = inodeCounts.get(mount.path());
      if (counts != null) {
        out.add("fs.inodes_total", tags, counts.total());
        out.add("fs.inodes_used", tags, counts.used());
        out.add("fs.inodes_free", tags, counts.free());
      }
    }
  }
}
