package io.capabilityexporter.node;

import io.capabilityexporter.events.CheckEvent;
import io.capabilityexporter.events.EventDecoder;
import io.capabilityexporter.probe.Probe;
import io.capabilityexporter.probe.ProbeException;
import java.io.IOException;
import java.util.function.Consumer;

/**
 * The check events of this node, from the kernel's ring to a consumer: decoded and attributed to
 * their workload. {@code run} sends and records them, {@code trace} prints them.
 */
public final class EventPipeline {
  private EventPipeline() {}

  /**
   * Starts delivering events to {@code sink}, on the probe's events thread, until the probe is
   * closed (which delivers the last ones first). Call once the attribution follows the probe.
   *
   * @param stacks symbolize each check's kernel stack (trace's --print-stack)
   */
  public static void start(
      Probe probe, NodeAttribution attribution, boolean stacks, Consumer<CheckEvent> sink)
      throws IOException, ProbeException {
    EventDecoder decoder =
        EventDecoder.forThisHost(probe, attribution.attributor(), attribution.nodeName(), stacks);
    probe.startEvents(record -> sink.accept(decoder.decode(record)));
  }
}
