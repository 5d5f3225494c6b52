package io.capabilityexporter.profiles;

import com.fasterxml.jackson.core.JsonEncoding;
import com.fasterxml.jackson.core.JsonGenerator;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.capabilityexporter.domain.ContainerGrants;
import io.capabilityexporter.domain.Flag;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.OutputStream;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.util.Collection;
import java.util.List;

/**
 * Profiles as JSON: the profiles file (the recorded facts) and, with recommendations, {@code
 * /api/v1/profiles} and {@code profile -o json}. One shape for both, so a tool reading one reads
 * the other; {@link ProfilesReader} reads it back. Written as it goes, with no tree and no string
 * in between: a thousand workloads are megabytes of JSON, and the exporter's heap is small.
 */
final class ProfilesJson {
  static final ObjectMapper MAPPER = new ObjectMapper();

  private ProfilesJson() {}

  static String write(Profiles profiles, boolean recommendations, boolean pretty) {
    ByteArrayOutputStream out = new ByteArrayOutputStream();
    try {
      write(profiles, recommendations, pretty, out);
    } catch (IOException e) {
      throw new UncheckedIOException("writing to memory", e);
    }
    return out.toString(StandardCharsets.UTF_8);
  }

  static void write(Profiles profiles, boolean recommendations, boolean pretty, OutputStream out)
      throws IOException {
    try (JsonGenerator json = MAPPER.getFactory().createGenerator(out, JsonEncoding.UTF8)) {
      if (pretty) {
        json.useDefaultPrettyPrinter();
      }
      json.writeStartObject();
      json.writeNumberField("version", Profiles.FORMAT_VERSION);
      json.writeArrayFieldStart("workloads");
      for (WorkloadProfile workload : profiles.workloads()) {
        json.writeStartObject();
        json.writeStringField("namespace", workload.namespace());
        json.writeStringField("kind", workload.kind());
        json.writeStringField("name", workload.name());
        json.writeStringField("firstSeen", workload.firstSeen().toString());
        json.writeStringField("lastSeen", workload.lastSeen().toString());
        json.writeArrayFieldStart("containers");
        for (ContainerProfile container : workload.containers()) {
          container(json, container, recommendations);
        }
        json.writeEndArray();
        json.writeEndObject();
      }
      json.writeEndArray();
      if (recommendations && profiles.evictions() > 0) {
        json.writeNumberField("evictions", profiles.evictions());
        json.writeArrayFieldStart("evicted");
        for (Eviction eviction : profiles.evicted()) {
          json.writeStartObject();
          json.writeStringField("namespace", eviction.namespace());
          json.writeStringField("kind", eviction.kind());
          json.writeStringField("name", eviction.name());
          json.writeStringField("at", eviction.at().toString());
          json.writeEndObject();
        }
        json.writeEndArray();
      }
      json.writeEndObject();
    }
  }

  private static void container(JsonGenerator json, ContainerProfile container, boolean recommend)
      throws IOException {
    json.writeStartObject();
    json.writeStringField("name", container.name());
    json.writeStringField("image", container.image());
    ContainerGrants granted = container.granted();
    if (granted == null) {
      json.writeNullField("granted");
    } else {
      json.writeObjectFieldStart("granted");
      strings(json, "add", granted.added().stream().sorted().toList());
      json.writeBooleanField("privileged", granted.privileged());
      json.writeEndObject();
    }
    json.writeStringField("firstSeen", container.firstSeen().toString());
    json.writeStringField("lastSeen", container.lastSeen().toString());
    json.writeArrayFieldStart("capabilities");
    for (CapabilityUse use : container.capabilities()) {
      json.writeStartObject();
      json.writeStringField("capability", use.capability());
      json.writeNumberField("allowed", use.allowed());
      json.writeNumberField("denied", use.denied());
      json.writeNumberField("fallback", use.fallback());
      json.writeNumberField("dropChecks", use.dropChecks());
      json.writeNumberField("beforeExit", use.beforeExit());
      if (use.audited() == Flag.UNKNOWN) {
        json.writeNullField("audited");
      } else {
        json.writeBooleanField("audited", true);
      }
      json.writeStringField("firstSeen", use.firstSeen().toString());
      json.writeStringField("lastSeen", use.lastSeen().toString());
      strings(json, "syscalls", use.syscalls());
      strings(json, "comms", use.comms());
      json.writeEndObject();
    }
    json.writeEndArray();
    Lifecycle lifecycle = container.lifecycle();
    json.writeObjectFieldStart("lifecycle");
    json.writeNumberField("starts", lifecycle.starts());
    json.writeNumberField("stops", lifecycle.stops());
    json.writeNumberField("execs", lifecycle.execs());
    json.writeBooleanField("beforeExporter", lifecycle.beforeExporter());
    json.writeEndObject();
    if (recommend) {
      json.writeBooleanField("cutShort", container.cutShort());
      json.writeFieldName("recommendation");
      recommendation(json, Recommendation.of(container));
    }
    json.writeEndObject();
  }

  private static void recommendation(JsonGenerator json, Recommendation recommendation)
      throws IOException {
    json.writeStartObject();
    json.writeObjectFieldStart("securityContext");
    if (recommendation.privileged()) {
      json.writeBooleanField("privileged", false);
    }
    json.writeObjectFieldStart("capabilities");
    strings(json, "drop", List.of("ALL"));
    strings(json, "add", recommendation.add());
    json.writeEndObject();
    json.writeEndObject();
    strings(json, "denied", recommendation.denied());
    strings(json, "coped", recommendation.coped());
    strings(json, "byDesign", recommendation.byDesign());
    strings(json, "unusedGrants", recommendation.unusedGrants());
    json.writeBooleanField("privileged", recommendation.privileged());
    json.writeBooleanField("grantsKnown", recommendation.grantsKnown());
    json.writeObjectFieldStart("podSecurity");
    verdict(json, "baseline", recommendation.baseline());
    verdict(json, "restricted", recommendation.restricted());
    json.writeEndObject();
    json.writeEndObject();
  }

  private static void verdict(JsonGenerator json, String name, PodSecurity.Verdict verdict)
      throws IOException {
    json.writeObjectFieldStart(name);
    json.writeBooleanField("allowed", verdict.allowed());
    strings(json, "offending", verdict.offending());
    json.writeEndObject();
  }

  private static void strings(JsonGenerator json, String name, Collection<String> values)
      throws IOException {
    json.writeArrayFieldStart(name);
    for (String value : values) {
      json.writeString(value);
    }
    json.writeEndArray();
  }
}
