package io.capabilityexporter.deploy;

import java.util.ArrayList;
import java.util.List;

/** Podman with the run's own store, where e2e/exporter-image.sh built the images (e2e/lib.sh). */
final class PodmanStore extends ContainerEngine {
  private final List<String> options;

  /**
   * @param options podman's global options for that store, as e2e/lib.sh gives them
   */
  PodmanStore(String options) {
    this.options = List.of(options.strip().split("\\s+"));
  }

  @Override
  List<String> cli() {
    List<String> cli = new ArrayList<>(List.of("podman"));
    cli.addAll(options);
    return cli;
  }

  @Override
  String install() {
    return "make e2e installs it (Debian: apt-get install podman)";
  }

  /** The store's directory (--root). */
  String root() {
    return options.get(options.indexOf("--root") + 1);
  }
}
