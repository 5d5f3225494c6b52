package io.capabilityexporter.deploy;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/** deploy/Dockerfile's instructions, enough to check what it copies. */
record Dockerfile(List<Instruction> instructions) {
  static final Path PATH = Deploy.DIR.resolve("Dockerfile");
  private static final Pattern ARGUMENT = Pattern.compile("\\$\\{(\\w+)}");

  /**
   * One instruction, continuation lines joined, with the stage it belongs to (null for an ARG
   * before the first FROM).
   */
  record Instruction(String stage, String keyword, String arguments) {}

  /** A COPY: its --from stage (null: the build context), sources and destination. */
  record Copy(String stage, String from, List<String> sources, String destination) {}

  static Dockerfile read() throws IOException {
    List<Instruction> instructions = new ArrayList<>();
    String stage = null;
    StringBuilder line = new StringBuilder();
    for (String raw : Files.readAllLines(PATH)) {
      if (line.length() == 0 && (raw.isBlank() || raw.strip().startsWith("#"))) {
        continue;
      }
      if (raw.endsWith("\\")) {
        line.append(raw, 0, raw.length() - 1).append(' ');
        continue;
      }
      line.append(raw);
      String[] parts = line.toString().strip().split("\\s+", 2);
      line.setLength(0);
      String keyword = parts[0].toUpperCase();
      String arguments = parts.length > 1 ? parts[1] : "";
      if (keyword.equals("FROM")) {
        String[] from = arguments.split("\\s+");
        stage = from.length == 3 && from[1].equalsIgnoreCase("AS") ? from[2] : from[0];
      }
      instructions.add(new Instruction(stage, keyword, arguments));
    }
    return new Dockerfile(instructions);
  }

  List<Instruction> all(String keyword) {
    return instructions.stream().filter(i -> i.keyword().equals(keyword)).toList();
  }

  /** The ARGs before the first FROM, which FROM lines may use, with their defaults. */
  Map<String, String> globalArguments() {
    Map<String, String> arguments = new LinkedHashMap<>();
    for (Instruction arg : all("ARG")) {
      if (arg.stage() == null) {
        String[] nameAndDefault = arg.arguments().split("=", 2);
        arguments.put(nameAndDefault[0], nameAndDefault.length > 1 ? nameAndDefault[1] : "");
      }
    }
    return arguments;
  }

  /** What a stage is built FROM, as written ({@code debian:bookworm}, {@code ${JAR}}). */
  String base(String stage) {
    return instructions.stream()
        .filter(i -> stage.equals(i.stage()) && i.keyword().equals("FROM"))
        .map(i -> i.arguments().split("\\s+")[0])
        .findFirst()
        .orElseThrow(() -> new AssertionError("no stage " + stage));
  }

  /**
   * The stage a stage stands for when it is only {@code FROM ${ARG} AS name} with nothing after (an
   * alias picked with --build-arg), the ARG at {@code arguments}' value; else the stage itself.
   */
  String resolve(String stage, Map<String, String> arguments) {
    Matcher argument = ARGUMENT.matcher(base(stage));
    if (!argument.matches()) {
      return stage;
    }
    String chosen = arguments.get(argument.group(1));
    if (chosen == null) {
      throw new AssertionError(base(stage) + " is no global ARG");
    }
    return chosen;
  }

  List<Copy> copies() {
    List<Copy> copies = new ArrayList<>();
    for (Instruction copy : all("COPY")) {
      List<String> words = new ArrayList<>(Arrays.asList(copy.arguments().split("\\s+")));
      String from = null;
      while (words.get(0).startsWith("--")) {
        String flag = words.remove(0);
        if (flag.startsWith("--from=")) {
          from = flag.substring("--from=".length());
        }
      }
      String destination = words.remove(words.size() - 1);
      copies.add(new Copy(copy.stage(), from, List.copyOf(words), destination));
    }
    return copies;
  }

  /** The last WORKDIR of a stage: where its relative paths and the repository's copy are. */
  String workdir(String stage) {
    return instructions.stream()
        .filter(i -> stage.equals(i.stage()) && i.keyword().equals("WORKDIR"))
        .reduce((first, second) -> second)
        .map(Instruction::arguments)
        .orElseThrow(() -> new AssertionError("stage " + stage + " has no WORKDIR"));
  }

  /**
   * Where a file that stage {@code from} (an alias resolved by the ARGs' defaults) holds at {@code
   * path} comes from in the repository, for a stage that copies the repository into its WORKDIR.
   */
  Path inRepository(String from, String path) {
    String stage = resolve(from, globalArguments());
    String workdir = workdir(stage);
    if (!path.startsWith(workdir + "/")) {
      throw new AssertionError(path + " is outside stage " + stage + "'s WORKDIR " + workdir);
    }
    return Deploy.ROOT.resolve(path.substring(workdir.length() + 1));
  }
}
