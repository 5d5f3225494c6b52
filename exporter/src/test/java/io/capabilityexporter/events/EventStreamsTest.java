package io.capabilityexporter.events;

import static io.capabilityexporter.profiles.CheckEvents.T0;
import static io.capabilityexporter.profiles.CheckEvents.chrootDenied;
import static io.capabilityexporter.profiles.CheckEvents.niceDenied;
import static org.assertj.core.api.Assertions.assertThat;

import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import org.junit.jupiter.api.Test;

/** A streaming client that reads too slowly costs the exporter a bounded queue, and is told. */
class EventStreamsTest {
  private static final TraceFilter CHROOTS =
      new TraceFilter(null, null, null, null, "SYS_CHROOT", null, null, false);

  @Test
  void a_stream_holds_what_its_filter_passes_up_to_its_bound_and_counts_the_rest() {
    EventStreams streams = new EventStreams(3, io.capabilityexporter.domain.PodLookup.NONE);
    EventStreams.Stream stream = streams.open(CHROOTS.predicate("")).orElseThrow();
    for (int i = 0; i < 5; i++) {
      streams.accept(chrootDenied(1, T0.plusSeconds(i)));
      streams.accept(niceDenied(1, T0.plusSeconds(i))); // not asked for: neither held nor dropped
    }
    List<Long> seconds = new ArrayList<>();
    for (CheckEvent event = stream.poll(); event != null; event = stream.poll()) {
      seconds.add(event.timestamp().getEpochSecond() - T0.getEpochSecond());
    }
    assertThat(seconds).as("the first three, in order").containsExactly(0L, 1L, 2L);
    assertThat(stream.takeDropped()).isEqualTo(2);
    assertThat(stream.takeDropped()).as("told once").isZero();
    assertThat(streams.dropped()).isEqualTo(2);
  }

  @Test
  void at_most_eight_clients_stream_and_a_closed_stream_makes_room() {
    EventStreams streams = new EventStreams(io.capabilityexporter.domain.PodLookup.NONE);
    List<EventStreams.Stream> open = new ArrayList<>();
    for (int i = 0; i < EventStreams.MAX_STREAMS; i++) {
      open.add(streams.open(event -> true).orElseThrow());
    }
    assertThat(streams.open(event -> true)).isEmpty();
    open.get(0).close();
    Optional<EventStreams.Stream> again = streams.open(event -> true);
    assertThat(again).isPresent();
    streams.accept(chrootDenied(1, T0));
    assertThat(open.get(0).poll()).as("closed: fed no more").isNull();
    assertThat(again.get().poll()).isNotNull();
  }

  @Test
  void a_bad_query_is_refused_with_what_to_write() {
    TraceFilter bad = new TraceFilter(null, null, null, null, null, "maybe", null, false);
    org.assertj.core.api.Assertions.assertThatThrownBy(() -> bad.predicate(""))
        .hasMessage("verdict=maybe: use allow or deny");
  }

  @Test
  void a_label_selector_matches_the_pods_the_node_knows() {
    io.capabilityexporter.domain.PodFacts cart =
        io.capabilityexporter.domain.Pods.granting(
            java.util.Map.of("app", "cart"), java.util.Map.of(), java.util.Map.of());
    EventStreams streams =
        new EventStreams(
            (namespace, name) ->
                namespace.equals("shop") && name.equals("cart-7d9f-x2x4q")
                    ? Optional.of(cart)
                    : Optional.empty());
    CheckEvent event = chrootDenied(1, T0);
    assertThat(streams.selecting(io.capabilityexporter.selectors.LabelSelector.parse("app=cart")))
        .accepts(event);
    assertThat(streams.selecting(io.capabilityexporter.selectors.LabelSelector.parse("app=db")))
        .rejects(event);
    assertThat(
            new EventStreams(io.capabilityexporter.domain.PodLookup.NONE)
                .selecting(io.capabilityexporter.selectors.LabelSelector.parse("app=cart")))
        .as("a pod the node does not know matches no selector")
        .rejects(event);
  }
}
