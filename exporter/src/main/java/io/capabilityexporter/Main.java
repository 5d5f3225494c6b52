package io.capabilityexporter;

import io.capabilityexporter.cli.Cli;

/** Entry point: {@code capability-exporter [run|trace|decode|profile|version|help] [flags]}. */
public final class Main {
  private Main() {}

  public static void main(String[] args) {
    System.exit(new Cli(System.out, System.err).run(args));
  }
}
