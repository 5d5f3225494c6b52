package io.capabilityexporter.node;

import io.capabilityexporter.events.CheckEvent;
import io.capabilityexporter.events.EventDecoder;
import io.capabilityexporter.probe.NativeLoading;
import io.capabilityexporter.probe.Probe;
import io.capabilityexporter.probe.ProbeException;
import io.capabilityexporter.probe.ProbeOptions;
import io.micrometer.core.instrument.MeterRegistry;
import java.io.IOException;
import java.util.Map;
import java.util.function.Consumer;

/**
 * What {@code run} and {@code trace} both start, in the one order that works: JNA's native stub
 * checked (every native call, libbpf's and the untrusted-file reads', needs it), the node's
 * attribution made, then the probe attached with the attribution following it. Closed in reverse:
 * the probe first, because its events thread decodes with the attribution until then.
 */
public final class NodeProbe implements AutoCloseable {
  private final NodeAttribution attribution;
  private Probe probe;

  private NodeProbe(NodeAttribution attribution) {
    this.attribution = attribution;
  }

  /**
   * The first half of start-up: who made a check can be told, nothing is attached yet.
   *
   * @throws ProbeException JNA's native stub cannot load (the message says why and the fix)
   * @throws IllegalArgumentException the Kubernetes environment is incomplete (named, with the fix)
   * @throws IllegalStateException cgroup v2 is not mounted
   */
  public static NodeProbe attribute(Map<String, String> environment, MeterRegistry registry)
      throws ProbeException {
    NativeLoading.requireJnaStub();
    return new NodeProbe(NodeAttribution.forEnvironment(environment, registry));
  }

  public NodeAttribution attribution() {
    return attribution;
  }

  /** The second half: the probe attached, and cgroup paths learnt from it from now on. */
  public Probe attach(ProbeOptions options) throws ProbeException {
    if (probe != null) {
      throw new IllegalStateException("the probe is attached already");
    }
    probe = Probe.attach(options);
    attribution.follow(probe);
    return probe;
  }

  /**
   * Starts delivering the check events, decoded and attributed to their workload, to {@code sink}
   * on the probe's events thread until the probe is closed (which delivers the last ones first).
   *
   * @param stacks symbolize each check's kernel stack (trace's --print-stack)
   */
  public void startEvents(boolean stacks, Consumer<CheckEvent> sink)
      throws IOException, ProbeException {
    if (probe == null) {
      throw new IllegalStateException("attach the probe before starting its events");
    }
    EventDecoder decoder =
        EventDecoder.forThisHost(probe, attribution.attributor(), attribution.nodeName(), stacks);
    probe.startEvents(record -> sink.accept(decoder.decode(record)));
  }

  @Override
  public void close() {
    try {
      if (probe != null) {
        probe.close();
      }
    } finally {
      attribution.close();
    }
  }
}
