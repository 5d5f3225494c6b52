package io.capabilityexporter.profiles;

import static io.capabilityexporter.profiles.CheckEvents.SYS_CHROOT;
import static io.capabilityexporter.profiles.CheckEvents.T0;
import static io.capabilityexporter.profiles.CheckEvents.cart;
import static io.capabilityexporter.profiles.CheckEvents.check;
import static io.capabilityexporter.profiles.CheckEvents.chrootDenied;
import static io.capabilityexporter.profiles.CheckEvents.deployment;
import static io.capabilityexporter.profiles.CheckEvents.granting;
import static io.capabilityexporter.profiles.CheckEvents.mmapProbe;
import static io.capabilityexporter.profiles.CheckEvents.niceDenied;
import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.capabilityexporter.domain.Flag;
import io.capabilityexporter.domain.Workload;
import io.capabilityexporter.events.CheckEvent;
import java.util.List;
import java.util.Map;
import java.util.Set;
import org.junit.jupiter.api.Test;
import org.yaml.snakeyaml.Yaml;

class ProfileFormatTest {

  /** Deployment shop/cart, granted NET_ADMIN, denied chroot and nice, probed by every mmap. */
  private static Profiles cartProfiles() {
    ProfileRecorder recorder = new ProfileRecorder(ProfileLimits.DEFAULT);
    var facts = granting("cart", Set.of("NET_ADMIN"), false);
    recorder.record(chrootDenied(12, T0), facts);
    recorder.record(niceDenied(3, T0.plusSeconds(4)), facts);
    recorder.record(mmapProbe(900, T0), facts);
    return recorder.snapshot();
  }

  @Test
  void yaml_is_a_strategic_merge_patch_of_the_deployments_pod_template() {
    assertThat(ProfileFormat.yaml(cartProfiles()))
        .isEqualTo(
            """
            # shop Deployment/cart
            # kubectl -n shop patch deployment cart --patch-file=PATCH.yaml
            # cart: cut short: denied SYS_CHROOT, SYS_NICE right before the process exited: added; record again with them
            # cart: granted but never used NET_ADMIN: dropped here
            # cart: Pod Security Standards: baseline no (SYS_NICE not allowed); restricted no (SYS_CHROOT, SYS_NICE not allowed)
            spec:
              template:
                spec:
                  containers:
                  - name: cart
                    securityContext:
                      capabilities:
                        drop: [ALL]
                        add: [SYS_CHROOT, SYS_NICE]
            """);
  }

  @Test
  void the_yaml_patch_reads_as_the_securitycontext_kubernetes_expects() {
    Map<String, Object> patch = new Yaml().load(ProfileFormat.yaml(cartProfiles()));

    Object containers = at(patch, "spec", "template", "spec", "containers");
    assertThat(containers)
        .isEqualTo(
            List.of(
                Map.of(
                    "name",
                    "cart",
                    "securityContext",
                    Map.of(
                        "capabilities",
                        Map.of(
                            "drop", List.of("ALL"), "add", List.of("SYS_CHROOT", "SYS_NICE"))))));
  }

  @Test
  void a_cronjobs_patch_goes_through_its_job_template() {
    ProfileRecorder recorder = new ProfileRecorder(ProfileLimits.DEFAULT);
    recorder.record(
        check(
            new Workload("ops", "backup-29000000-abcde", "backup"),
            deployment("CronJob", "backup"),
            "chroot",
            "chroot",
            SYS_CHROOT,
            Flag.YES,
            false,
            1,
            T0),
        null);

    Map<String, Object> patch = new Yaml().load(ProfileFormat.yaml(recorder.snapshot()));

    assertThat((List<?>) at(patch, "spec", "jobTemplate", "spec", "template", "spec", "containers"))
        .hasSize(1);
    assertThat(ProfileFormat.yaml(recorder.snapshot()))
        .contains("# kubectl -n ops patch cronjob backup --patch-file=PATCH.yaml\n");
  }

  @Test
  void a_jobs_template_cannot_change_so_it_gets_no_kubectl_patch_command() {
    ProfileRecorder recorder = new ProfileRecorder(ProfileLimits.DEFAULT);
    recorder.record(
        check(
            new Workload("ops", "migrate-abcde", "migrate"),
            deployment("Job", "migrate"),
            "chroot",
            "chroot",
            SYS_CHROOT,
            Flag.YES,
            false,
            1,
            T0),
        null);

    String yaml = ProfileFormat.yaml(recorder.snapshot());

    assertThat(yaml)
        .doesNotContain("kubectl")
        .contains("# a Job's pod template cannot change: merge this into its manifest, rerun it\n");
    assertThat((List<?>) at(new Yaml().load(yaml), "spec", "template", "spec", "containers"))
        .hasSize(1);
  }

  @Test
  void a_bare_pods_patch_is_its_spec_to_merge_into_the_manifest() {
    ProfileRecorder recorder = new ProfileRecorder(ProfileLimits.DEFAULT);
    recorder.record(
        check(
            new Workload("shop", "debug", "shell"),
            deployment("Pod", "debug"),
            "chroot",
            "chroot",
            SYS_CHROOT,
            Flag.YES,
            false,
            1,
            T0),
        null);

    String yaml = ProfileFormat.yaml(recorder.snapshot());
    assertThat(yaml).doesNotContain("kubectl").contains("recreate it");
    Map<String, Object> patch = new Yaml().load(yaml);
    assertThat((List<?>) at(patch, "spec", "containers")).hasSize(1);
  }

  @Test
  void outside_kubernetes_yaml_gives_the_engines_run_flags_and_systemd_settings_as_comments() {
    ProfileRecorder recorder = new ProfileRecorder(ProfileLimits.DEFAULT);
    CheckEvent chroot =
        check(
            Workload.container("web"), null, "nginx", "chroot", SYS_CHROOT, Flag.YES, true, 1, T0);
    recorder.record(chroot, null, false, WorkloadProfile.PODMAN_CONTAINER);
    recorder.record(chroot, null, false, WorkloadProfile.DOCKER_CONTAINER);
    recorder.record(chroot, null, false, WorkloadProfile.CONTAINER);
    recorder.record(
        check(
            Workload.container("cron.service"),
            null,
            "cron",
            "chroot",
            SYS_CHROOT,
            Flag.YES,
            false,
            1,
            T0),
        null);

    assertThat(ProfileFormat.yaml(recorder.snapshot()))
        .isEqualTo(
            """
            # Container/web (no Kubernetes)
            # web: cut short: denied SYS_CHROOT right before the process exited: added; record again with it
            # run it (nerdctl, docker or podman run) with --cap-drop=ALL --cap-add=SYS_CHROOT ...
            ---
            # DockerContainer/web (no Kubernetes)
            # web: cut short: denied SYS_CHROOT right before the process exited: added; record again with it
            # docker run --cap-drop=ALL --cap-add=SYS_CHROOT ...
            ---
            # PodmanContainer/web (no Kubernetes)
            # web: cut short: denied SYS_CHROOT right before the process exited: added; record again with it
            # podman run --cap-drop=ALL --cap-add=SYS_CHROOT ...
            ---
            # SystemdUnit/cron.service (no Kubernetes)
            # systemctl edit cron.service, then under [Service]:
            # CapabilityBoundingSet=
            # CapabilityBoundingSet=CAP_SYS_CHROOT
            # AmbientCapabilities=CAP_SYS_CHROOT
            # (AmbientCapabilities= matters only when User= is not root)
            """);
  }

  @Test
  void text_shows_the_table_and_the_recommendation() {
    assertThat(ProfileFormat.text(cartProfiles()))
        .isEqualTo(
            """
            shop Deployment/cart, seen 2025-06-01T12:34:56Z to 2025-06-01T12:35:00Z
              container cart, image registry.example/shop/cart:1.4.2, granted NET_ADMIN
                seen: 1 start, 0 stops, 0 execs; checks over 4s; never seen to stop (what it asks at shutdown is missing); cut short by a deny
                CAPABILITY  ALLOWED  DENIED  AUDITED  FIRST SEEN            LAST SEEN             SYSCALLS     COMMANDS
                SYS_CHROOT        0      12  yes      2025-06-01T12:34:56Z  2025-06-01T12:34:56Z  chroot       chroot
                SYS_NICE          0       3  yes      2025-06-01T12:35:00Z  2025-06-01T12:35:00Z  setpriority  nice
                recommended: capabilities: {drop: [ALL], add: [SYS_CHROOT, SYS_NICE]}
                cut short: denied SYS_CHROOT, SYS_NICE right before the process exited: added; record again with them, what comes after may need more
                granted but never used NET_ADMIN: drop it
                Pod Security Standards: baseline no (SYS_NICE not allowed); restricted no (SYS_CHROOT, SYS_NICE not allowed)
            """);
  }

  @Test
  void text_never_passes_control_characters_to_the_terminal() {
    ProfileRecorder recorder = new ProfileRecorder(ProfileLimits.DEFAULT);
    recorder.record(
        check(
            cart(), deployment("Deployment", "cart"), "\u001b[2Jx", "", 0, Flag.YES, false, 1, T0),
        null);

    assertThat(ProfileFormat.text(recorder.snapshot())).doesNotContain("\u001b").contains("?[2Jx");
  }

  @Test
  void json_parses_back_with_each_containers_recommendation() throws Exception {
    JsonNode root = new ObjectMapper().readTree(ProfileFormat.json(cartProfiles()));

    assertThat(root.get("version").intValue()).isEqualTo(1);
    JsonNode workload = root.get("workloads").get(0);
    assertThat(workload.get("namespace").textValue()).isEqualTo("shop");
    assertThat(workload.get("kind").textValue()).isEqualTo("Deployment");
    assertThat(workload.get("name").textValue()).isEqualTo("cart");
    JsonNode container = workload.get("containers").get(0);
    assertThat(container.get("granted").toString())
        .isEqualTo("{\"add\":[\"NET_ADMIN\"],\"privileged\":false}");
    assertThat(container.get("capabilities").get(0).toString())
        .isEqualTo(
            "{\"capability\":\"SYS_CHROOT\",\"allowed\":0,\"denied\":12,\"fallback\":0,"
                + "\"dropChecks\":0,\"beforeExit\":12,\"audited\":true,"
                + "\"firstSeen\":\"2025-06-01T12:34:56Z\",\"lastSeen\":\"2025-06-01T12:34:56Z\","
                + "\"syscalls\":[\"chroot\"],\"comms\":[\"chroot\"]}");
    assertThat(container.get("recommendation").toString())
        .isEqualTo(
            "{\"securityContext\":{\"capabilities\":{\"drop\":[\"ALL\"],"
                + "\"add\":[\"SYS_CHROOT\",\"SYS_NICE\"]}},"
                + "\"denied\":[\"SYS_CHROOT\",\"SYS_NICE\"],\"coped\":[],\"byDesign\":[],"
                + "\"unusedGrants\":[\"NET_ADMIN\"],"
                + "\"privileged\":false,\"grantsKnown\":true,"
                + "\"podSecurity\":{\"baseline\":{\"allowed\":false,\"offending\":[\"SYS_NICE\"]},"
                + "\"restricted\":{\"allowed\":false,\"offending\":[\"SYS_CHROOT\",\"SYS_NICE\"]}}}");
  }

  @Test
  void json_of_no_profiles_is_an_empty_list() {
    assertThat(ProfileFormat.json(Profiles.EMPTY))
        .isEqualToIgnoringWhitespace("{\"version\":1,\"workloads\":[]}");
  }

  @SuppressWarnings("unchecked")
  private static Object at(Map<String, Object> root, String... path) {
    Object node = root;
    for (String key : path) {
      node = ((Map<String, Object>) node).get(key);
    }
    return node;
  }
}
