package io.capabilityexporter.attribution;

import io.capabilityexporter.files.ProcFiles;
import java.io.IOException;
import java.nio.file.DirectoryStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Optional;

/**
 * A running Podman container's name from its monitor: Podman starts one conmon per container with
 * {@code -c ID -n NAME}, whatever store (--root) the container is in, where its containers.json is
 * not at the default place. Only a conmon of root's is believed (any user may name a process
 * conmon), and only for an id nothing else named; the caller checks the name's form.
 */
final class ConmonNames {
  private final Path proc;

  ConmonNames(Path proc) {
    this.proc = proc;
  }

  Optional<String> name(String containerId) {
    try (DirectoryStream<Path> processes = Files.newDirectoryStream(proc, "[0-9]*")) {
      for (Path process : processes) {
        Optional<String> name = nameIn(process, containerId);
        if (name.isPresent()) {
          return name;
        }
      }
    } catch (IOException | RuntimeException e) {
      return Optional.empty();
    }
    return Optional.empty();
  }

  private static Optional<String> nameIn(Path process, String containerId) {
    try {
      if (!ProcFiles.read(process.resolve("comm")).strip().equals("conmon")
          || !ownedByRoot(ProcFiles.read(process.resolve("status")))) {
        return Optional.empty();
      }
      List<String> args = List.of(ProcFiles.read(process.resolve("cmdline")).split("\0"));
      if (!containerId.equals(after(args, "-c", "--cid"))) {
        return Optional.empty();
      }
      return Optional.ofNullable(after(args, "-n", "--name"));
    } catch (IOException | RuntimeException e) {
      return Optional.empty(); // ended meanwhile, or not readable
    }
  }

  /** The real uid is 0: the {@code Uid:} line's first field. */
  private static boolean ownedByRoot(String status) {
    return status
        .lines()
        .filter(line -> line.startsWith("Uid:"))
        .anyMatch(line -> line.substring(4).strip().split("\\s+")[0].equals("0"));
  }

  /**
   * The value of an option given as {@code -x VALUE}, {@code --long VALUE} or {@code --long=VALUE}.
   */
  private static String after(List<String> args, String shortName, String longName) {
    for (int i = 0; i < args.size(); i++) {
      String arg = args.get(i);
      if ((arg.equals(shortName) || arg.equals(longName)) && i + 1 < args.size()) {
        return args.get(i + 1);
      }
      if (arg.startsWith(longName + "=")) {
        return arg.substring(longName.length() + 1);
      }
    }
    return null;
  }
}
