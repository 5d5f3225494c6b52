package io.capabilityexporter.profiles;

import java.io.IOException;
import java.nio.file.DirectoryStream;
import java.nio.file.Files;
import java.nio.file.LinkOption;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.nio.file.attribute.BasicFileAttributes;
import java.time.Clock;
import java.time.ZoneOffset;
import java.time.format.DateTimeFormatter;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.function.Consumer;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * The files that collect next to the profiles file, kept bounded: the temporary file of a save
 * (left behind when the exporter is killed mid-save) and the unusable files set aside as {@code
 * profiles.json.corrupt-20250601T123456Z}. On a node's disk nothing else cleans them up.
 */
final class ProfileLeftovers {
  /** Set-aside files kept for whoever wants to see what went wrong; older ones are deleted. */
  static final int SET_ASIDE_KEPT = 3;

  private static final DateTimeFormatter STAMP =
      DateTimeFormatter.ofPattern("yyyyMMdd'T'HHmmss'Z'").withZone(ZoneOffset.UTC);

  private ProfileLeftovers() {}

  /** A new temporary file beside {@code file}, 0600 (profiles name workloads and images). */
  static Path temporary(Path file) throws IOException {
    return Files.createTempFile(
        file.toAbsolutePath().getParent(), file.getFileName() + ".", ".tmp");
  }

  /**
   * Moves an unusable {@code file} out of the way and says so. A file larger than any profiles file
   * is deleted instead: kept, one such file once filled a node's disk with 1 GiB.
   */
  static String setAside(Path file, String reason, boolean tooLarge, Clock clock) {
    String unusable = "profiles file " + file + " is unusable (" + reason + "); ";
    try {
      if (tooLarge) {
        Files.delete(file);
        return unusable + "deleted it and started afresh";
      }
      String stamp = STAMP.format(clock.instant());
      Path aside = file.resolveSibling(file.getFileName() + ".corrupt-" + stamp);
      for (int i = 1; Files.exists(aside, LinkOption.NOFOLLOW_LINKS); i++) {
        aside = file.resolveSibling(file.getFileName() + ".corrupt-" + stamp + "-" + i);
      }
      Files.move(file, aside);
      return unusable + "moved it to " + aside.getFileName() + " and started afresh";
    } catch (IOException e) {
      return unusable + "could not move it aside (" + e + "); started afresh";
    }
  }

  /**
   * Deletes the temporaries of earlier saves (only the exporter writes beside its file, and it has
   * not started saving yet), and all but the {@value #SET_ASIDE_KEPT} newest set-aside files, and
   * any of those larger than a profiles file may be. Each deletion is told to {@code log}.
   */
  static void tidy(Path file, long maxFileBytes, Consumer<String> log) {
    String name = file.getFileName().toString();
    Pattern temporary = Pattern.compile(Pattern.quote(name + ".") + "\\d+" + Pattern.quote(".tmp"));
    Pattern setAside =
        Pattern.compile(Pattern.quote(name + ".corrupt-") + "(\\d{8}T\\d{6}Z)(?:-(\\d+))?");
    record Aside(Path path, String stamp, long sequence, long size) {}
    List<Aside> asides = new ArrayList<>();
    Path dir = file.toAbsolutePath().getParent();
    try (DirectoryStream<Path> entries = Files.newDirectoryStream(dir)) {
      for (Path entry : entries) {
        String entryName = entry.getFileName().toString();
        BasicFileAttributes attributes;
        try {
          attributes =
              Files.readAttributes(entry, BasicFileAttributes.class, LinkOption.NOFOLLOW_LINKS);
        } catch (IOException e) {
          continue; // gone meanwhile
        }
        if (temporary.matcher(entryName).matches() && attributes.isRegularFile()) {
          delete(entry, "the temporary file of a save that did not finish", log);
          continue;
        }
        Matcher matcher = setAside.matcher(entryName);
        if (matcher.matches()) {
          long sequence = matcher.group(2) == null ? 0 : Long.parseLong(matcher.group(2));
          asides.add(new Aside(entry, matcher.group(1), sequence, attributes.size()));
        }
      }
    } catch (NoSuchFileException e) {
      return; // no directory yet: the first save makes it
    } catch (IOException | RuntimeException e) {
      log.accept("cannot tidy " + dir + " (" + e + "); files set aside there may pile up");
      return;
    }
    asides.sort(Comparator.comparing(Aside::stamp).thenComparingLong(Aside::sequence).reversed());
    int kept = 0;
    for (Aside aside : asides) {
      if (aside.size() > maxFileBytes) {
        delete(aside.path(), "set aside, and larger than any profiles file", log);
      } else if (kept < SET_ASIDE_KEPT) {
        kept++;
      } else {
        delete(aside.path(), "set aside, older than the " + SET_ASIDE_KEPT + " kept", log);
      }
    }
  }

  private static void delete(Path path, String why, Consumer<String> log) {
    try {
      Files.delete(path);
      log.accept("deleted " + path + " (" + why + ")");
    } catch (IOException e) {
      log.accept("cannot delete " + path + " (" + why + "): " + e);
    }
  }
}
