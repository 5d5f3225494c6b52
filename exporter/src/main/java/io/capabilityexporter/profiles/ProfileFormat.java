package io.capabilityexporter.profiles;

/** The three ways {@code capability-exporter profile} prints profiles; JSON is also the API's. */
public final class ProfileFormat {
  private ProfileFormat() {}

  /** For people: a table per container, then its recommendation; see {@link ProfileText}. */
  public static String text(Profiles profiles) {
    return ProfileText.render(profiles);
  }

  /**
   * For tools, and {@code /api/v1/profiles}: the whole snapshot, each container with its
   * recommendation:
   *
   * <pre>
   * {"version": 1, "workloads": [{"namespace": "shop", "kind": "Deployment", "name": "cart",
   *   "firstSeen": "...", "lastSeen": "...", "containers": [{"name": "cart", "image": "...",
   *   "granted": {"add": ["NET_ADMIN"], "privileged": false}, "firstSeen": "...", "lastSeen": "...",
   *   "capabilities": [{"capability": "SYS_CHROOT", "allowed": 0, "denied": 12, "audited": true,
   *     "firstSeen": "...", "lastSeen": "...", "syscalls": ["chroot"], "comms": ["chroot"]}],
   *   "recommendation": {"securityContext": {"capabilities": {"drop": ["ALL"],
   *     "add": ["SYS_CHROOT"]}}, "denied": ["SYS_CHROOT"], "unusedGrants": ["NET_ADMIN"],
   *     "privileged": false, "grantsKnown": true, "podSecurity": {"baseline": {"allowed": true,
   *     "offending": []}, "restricted": {"allowed": false, "offending": ["SYS_CHROOT"]}}}}]}]}
   * </pre>
   *
   * {@code audited} is true, or null when the hook could not tell (counted as audited).
   */
  public static String json(Profiles profiles) {
    return ProfilesJson.write(profiles, true, true);
  }

  /** {@link #json(Profiles)}, written to {@code out} as it is made. */
  public static void json(Profiles profiles, java.io.OutputStream out) throws java.io.IOException {
    ProfilesJson.write(profiles, true, true, out);
  }

  /** {@link #json(Profiles)}'s JSON read back, as untrusted as a profiles file. */
  public static Profiles parse(byte[] json) throws CorruptProfilesException {
    return ProfilesReader.read(json, ProfileLimits.DEFAULT);
  }

  /** Patches to apply, one YAML document per workload; see {@link ProfilePatch}. */
  public static String yaml(Profiles profiles) {
    return ProfilePatch.render(profiles);
  }
}
