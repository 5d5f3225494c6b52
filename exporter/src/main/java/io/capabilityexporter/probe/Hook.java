package io.capabilityexporter.probe;

/** The kernel hooks the probe can count capability checks with, best first. */
public enum Hook {
  /** Linux 6.14+: the cap_capable trace event, a stable interface. */
  TP_BTF("tp_btf/cap_capable", "cap_capable_tp"),
  /** Linux 5.12+ with BTF: fexit on cap_capable(), which also sees the NOAUDIT option. */
  FEXIT("fexit/cap_capable", "cap_capable_fexit");

  private final String label;
  private final String program;

  Hook(String label, String program) {
    this.label = label;
    this.program = program;
  }

  /** As shown at start-up and in the {@code hook} label: {@code tp_btf/cap_capable}. */
  public String label() {
    return label;
  }

  public String program() {
    return program;
  }
}
