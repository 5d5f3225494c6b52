package io.capabilityexporter.profiles;

import com.fasterxml.jackson.core.JsonFactory;
import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.core.StreamReadConstraints;
import com.fasterxml.jackson.core.StreamReadFeature;
import com.fasterxml.jackson.databind.DeserializationFeature;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.capabilityexporter.capabilities.Capability;
import io.capabilityexporter.domain.ContainerGrants;
import io.capabilityexporter.domain.Flag;
import java.io.IOException;
import java.time.Instant;
import java.time.format.DateTimeParseException;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Set;

/**
 * Reads the profiles file back. The file sits on a host path anyone with the node can write, so it
 * is untrusted: every type, size and count is checked, and the first fault is reported with where
 * it is ({@code workloads[2].containers[0].capabilities[1].denied: -5 is negative}).
 */
final class ProfilesReader {
  /** Longest name kept: ProfileRecorder records nothing it could not read back. */
  static final int MAX_NAME = 256;

  private static final int MAX_IMAGE = 1024;

  private static final ObjectMapper MAPPER =
      new ObjectMapper(
              JsonFactory.builder()
                  .streamReadConstraints(
                      StreamReadConstraints.builder()
                          .maxNestingDepth(16)
                          .maxStringLength(4 * MAX_IMAGE)
                          .maxNumberLength(32)
                          .build())
                  .enable(StreamReadFeature.STRICT_DUPLICATE_DETECTION)
                  .build())
          .enable(DeserializationFeature.FAIL_ON_TRAILING_TOKENS);

  private final ProfileLimits limits;

  private ProfilesReader(ProfileLimits limits) {
    this.limits = limits;
  }

  static Profiles read(byte[] json, ProfileLimits limits) throws CorruptProfilesException {
    JsonNode root;
    try {
      root = MAPPER.readTree(json);
    } catch (JsonProcessingException e) {
      throw new CorruptProfilesException("not JSON: " + e.getOriginalMessage(), e);
    } catch (IOException e) {
      throw new CorruptProfilesException("not JSON: " + e.getMessage(), e);
    }
    if (root == null || !root.isObject()) {
      throw new CorruptProfilesException("not a JSON object");
    }
    return new ProfilesReader(limits).profiles(root);
  }

  private Profiles profiles(JsonNode root) throws CorruptProfilesException {
    JsonNode version = root.get("version");
    if (version == null || !version.isInt() || version.intValue() != Profiles.FORMAT_VERSION) {
      throw new CorruptProfilesException(
          "version: " + version + " is not " + Profiles.FORMAT_VERSION + " (another exporter's?)");
    }
    List<WorkloadProfile> workloads = new ArrayList<>();
    Set<List<String>> keys = new HashSet<>();
    List<JsonNode> nodes = array(root, "workloads", limits.workloads(), "");
    for (int i = 0; i < nodes.size(); i++) {
      WorkloadProfile workload = workload(nodes.get(i), "workloads[" + i + "]");
      if (!keys.add(List.of(workload.namespace(), workload.kind(), workload.name()))) {
        throw new CorruptProfilesException("workloads[" + i + "]: " + workload.title() + " twice");
      }
      workloads.add(workload);
    }
    return new Profiles(workloads);
  }

  private WorkloadProfile workload(JsonNode node, String where) throws CorruptProfilesException {
    object(node, where);
    String namespace = text(node, "namespace", MAX_NAME, where);
    String kind = nonEmpty(node, "kind", where);
    String name = nonEmpty(node, "name", where);
    Instant first = instant(node, "firstSeen", where);
    Instant last = lastSeen(node, first, where);
    List<ContainerProfile> containers = new ArrayList<>();
    Set<String> names = new HashSet<>();
    List<JsonNode> nodes = array(node, "containers", limits.containers(), where);
    for (int i = 0; i < nodes.size(); i++) {
      String at = where + ".containers[" + i + "]";
      ContainerProfile container = container(nodes.get(i), at);
      if (!names.add(container.name())) {
        throw new CorruptProfilesException(at + ": container " + container.name() + " twice");
      }
      containers.add(container);
    }
    return new WorkloadProfile(namespace, kind, name, first, last, containers);
  }

  private ContainerProfile container(JsonNode node, String where) throws CorruptProfilesException {
    object(node, where);
    String name = nonEmpty(node, "name", where);
    String image = text(node, "image", MAX_IMAGE, where);
    ContainerGrants granted = grants(node.get("granted"), where + ".granted");
    Instant first = instant(node, "firstSeen", where);
    Instant last = lastSeen(node, first, where);
    List<CapabilityUse> uses = new ArrayList<>();
    Set<String> seen = new HashSet<>();
    List<JsonNode> nodes = array(node, "capabilities", ProfileLimits.CAPABILITIES, where);
    for (int i = 0; i < nodes.size(); i++) {
      String at = where + ".capabilities[" + i + "]";
      CapabilityUse use = use(nodes.get(i), at);
      if (!seen.add(use.capability())) {
        throw new CorruptProfilesException(at + ": " + use.capability() + " twice");
      }
      uses.add(use);
    }
    return new ContainerProfile(
        name, image, granted, first, last, uses, lifecycle(node.get("lifecycle"), where));
  }

  /** Files of before the lifecycle was recorded have none: nothing known. */
  private Lifecycle lifecycle(JsonNode node, String where) throws CorruptProfilesException {
    if (node == null || node.isNull()) {
      return Lifecycle.UNKNOWN;
    }
    String at = where + ".lifecycle";
    object(node, at);
    JsonNode before = node.get("beforeExporter");
    if (before == null || !before.isBoolean()) {
      throw new CorruptProfilesException(at + ".beforeExporter: " + before + " is not boolean");
    }
    return new Lifecycle(
        count(node, "starts", at),
        count(node, "stops", at),
        count(node, "execs", at),
        before.booleanValue());
  }

  private ContainerGrants grants(JsonNode node, String where) throws CorruptProfilesException {
    if (node == null || node.isNull()) {
      return null;
    }
    object(node, where);
    Set<String> added = new HashSet<>();
    for (JsonNode cap : array(node, "add", ProfileLimits.CAPABILITIES, where)) {
      if (!cap.isTextual() || !cap.textValue().matches("[A-Za-z0-9_]{1,64}")) {
        throw new CorruptProfilesException(where + ".add: " + cap + " is not a capability name");
      }
      added.add(cap.textValue());
    }
    JsonNode privileged = node.get("privileged");
    if (privileged == null || !privileged.isBoolean()) {
      throw new CorruptProfilesException(where + ".privileged: " + privileged + " is not boolean");
    }
    return new ContainerGrants(added, privileged.booleanValue());
  }

  private CapabilityUse use(JsonNode node, String where) throws CorruptProfilesException {
    object(node, where);
    String capability = nonEmpty(node, "capability", where);
    if (!known(capability)) {
      throw new CorruptProfilesException(
          where + ".capability: " + capability + " is not a capability");
    }
    long allowed = count(node, "allowed", where);
    long denied = count(node, "denied", where);
    // Files of before deny classes have none of these: every deny there was a plain one.
    long fallback = node.has("fallback") ? count(node, "fallback", where) : 0;
    long dropChecks = node.has("dropChecks") ? count(node, "dropChecks", where) : 0;
    long beforeExit = node.has("beforeExit") ? count(node, "beforeExit", where) : 0;
    if (fallback > denied || dropChecks > denied || beforeExit > denied) {
      throw new CorruptProfilesException(where + ": more denies of a class than denied");
    }
    JsonNode audited = node.get("audited");
    if (audited == null || !(audited.isNull() || audited.isBoolean() && audited.booleanValue())) {
      throw new CorruptProfilesException(where + ".audited: " + audited + " is not true or null");
    }
    Instant first = instant(node, "firstSeen", where);
    Instant last = lastSeen(node, first, where);
    return new CapabilityUse(
        capability,
        allowed,
        denied,
        fallback,
        dropChecks,
        beforeExit,
        audited.isNull() ? Flag.UNKNOWN : Flag.YES,
        first,
        last,
        names(node, "syscalls", where, true),
        names(node, "comms", where, true)); // a task may rename itself ""
  }

  /** A name the table knows, or a number up to 63 for a capability newer than the table. */
  private static boolean known(String capability) {
    if (capability.matches("\\d{1,2}")) {
      int number = Integer.parseInt(capability);
      return number > Capability.last() && number < ProfileLimits.CAPABILITIES;
    }
    return Capability.number(capability).isPresent()
        && Capability.name(Capability.number(capability).getAsInt()).equals(capability);
  }

  private List<String> names(JsonNode node, String field, String where, boolean emptyAllowed)
      throws CorruptProfilesException {
    List<String> names = new ArrayList<>();
    for (JsonNode name : array(node, field, limits.names(), where)) {
      if (!name.isTextual()
          || name.textValue().length() > MAX_NAME
          || (!emptyAllowed && name.textValue().isEmpty())
          || names.contains(name.textValue())) {
        throw new CorruptProfilesException(where + "." + field + ": " + name + " is not a name");
      }
      names.add(name.textValue());
    }
    return names;
  }

  private static void object(JsonNode node, String where) throws CorruptProfilesException {
    if (!node.isObject()) {
      throw new CorruptProfilesException(where + ": " + kindOf(node) + " is not an object");
    }
  }

  private static List<JsonNode> array(JsonNode node, String field, int max, String where)
      throws CorruptProfilesException {
    String at = where.isEmpty() ? field : where + "." + field;
    JsonNode array = node.get(field);
    if (array == null || !array.isArray()) {
      throw new CorruptProfilesException(at + ": " + kindOf(array) + " is not an array");
    }
    if (array.size() > max) {
      throw new CorruptProfilesException(at + ": " + array.size() + " entries, more than " + max);
    }
    List<JsonNode> elements = new ArrayList<>();
    array.forEach(elements::add);
    return elements;
  }

  private static String text(JsonNode node, String field, int max, String where)
      throws CorruptProfilesException {
    JsonNode value = node.get(field);
    if (value == null || !value.isTextual()) {
      throw new CorruptProfilesException(
          where + "." + field + ": " + kindOf(value) + " is not a string");
    }
    if (value.textValue().length() > max) {
      throw new CorruptProfilesException(where + "." + field + ": longer than " + max);
    }
    return value.textValue();
  }

  private static String nonEmpty(JsonNode node, String field, String where)
      throws CorruptProfilesException {
    String value = text(node, field, MAX_NAME, where);
    if (value.isEmpty()) {
      throw new CorruptProfilesException(where + "." + field + ": empty");
    }
    return value;
  }

  private static long count(JsonNode node, String field, String where)
      throws CorruptProfilesException {
    JsonNode value = node.get(field);
    if (value == null || !value.isIntegralNumber() || !value.canConvertToLong()) {
      throw new CorruptProfilesException(
          where + "." + field + ": " + kindOf(value) + " is not a count");
    }
    if (value.longValue() < 0) {
      throw new CorruptProfilesException(where + "." + field + ": " + value + " is negative");
    }
    return value.longValue();
  }

  private static Instant instant(JsonNode node, String field, String where)
      throws CorruptProfilesException {
    String text = text(node, field, 64, where);
    try {
      return Instant.parse(text);
    } catch (DateTimeParseException e) {
      throw new CorruptProfilesException(where + "." + field + ": " + text + " is not a time");
    }
  }

  private static Instant lastSeen(JsonNode node, Instant first, String where)
      throws CorruptProfilesException {
    Instant last = instant(node, "lastSeen", where);
    if (last.isBefore(first)) {
      throw new CorruptProfilesException(where + ".lastSeen: before firstSeen");
    }
    return last;
  }

  private static String kindOf(JsonNode node) {
    return node == null
        ? "missing"
        : node.getNodeType().toString().toLowerCase(java.util.Locale.ROOT);
  }
}
