package io.nbnet.collector.proc;

import io.nbnet.formats.Tags;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.DirectoryStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Map;
import java.util.Optional;

/**
 * {@code hwmon}: temperatures from /sys/class/hwmon ({@code temp*_input}, millidegrees), tagged with
 * the chip's name and the sensor's label (or its file name). Virtual machines usually have none.
 */
final class HwmonSource implements Source {

  @Override
  public String name() {
    return "hwmon";
  }

  @Override
  public Optional<String> notApplicable(ProcFiles files) {
    return Files.isDirectory(files.sysRoot().resolve("class/hwmon")) ? Optional.empty()
      : Optional.of(files.sysRoot().resolve("class/hwmon") + " is absent (no hardware sensors exposed)");
  }

  @Override
  public void sample(ProcFiles files, SampleSink out) throws IOException {
    try (DirectoryStream<Path> chips = Files.newDirectoryStream(files.sysRoot().resolve("class/hwmon"))) {
      for (Path chip : chips) {
        Path nameFile = chip.resolve("name");
        String name = Files.exists(nameFile) ? Files.readString(nameFile).trim() : chip.getFileName().toString();
        try (DirectoryStream<Path> inputs = Files.newDirectoryStream(chip, "temp*_input")) {
          for (Path input : inputs) {
            String sensor = input.getFileName().toString().replace("_input", "");
            Path labelFile = chip.resolve(sensor + "_label");
            String label = Files.exists(labelFile) ? Files.readString(labelFile).trim() : sensor;
            try {
              double celsius = Long.parseLong(Files.readString(input).trim()) / 1000.0;
              out.add("hwmon.temperature_celsius", Tags.of(Map.of("chip", name, "sensor", label)), celsius);
            } catch (IOException | UncheckedIOException | NumberFormatException unreadable) {
              // a sensor that cannot be read right now (some report EIO while idle) is skipped
            }
          }
        }
      }
    }
  }
}
