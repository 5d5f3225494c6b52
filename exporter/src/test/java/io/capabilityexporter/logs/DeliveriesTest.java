package io.capabilityexporter.logs;

import static org.assertj.core.api.Assertions.assertThat;

import io.micrometer.core.instrument.simple.SimpleMeterRegistry;
import org.junit.jupiter.api.Test;

class DeliveriesTest {
  private final SimpleMeterRegistry registry = new SimpleMeterRegistry();
  private final Deliveries deliveries = new Deliveries(3, registry);

  @Test
  void noMoreRecordsAreInFlightThanTheQueueHoldsAndTheRestAreCountedQueueFull() {
    for (int i = 0; i < 5; i++) {
      deliveries.tryAcquire();
    }

    assertThat(deliveries.inFlight()).isEqualTo(3);
    assertThat(dropped("otlp_queue_full")).isEqualTo(2);
    assertThat(dropped("otlp_export_failed")).isZero();
  }

  @Test
  void aDeliveredBatchFreesItsPlacesAndAFailedOneIsCounted() {
    deliveries.tryAcquire();
    deliveries.tryAcquire();
    deliveries.tryAcquire();

    deliveries.finished(2, true);
    deliveries.finished(1, false);

    assertThat(deliveries.inFlight()).isZero();
    assertThat(dropped("otlp_export_failed")).isEqualTo(1);
    assertThat(deliveries.tryAcquire()).isTrue();
  }

  @Test
  void whatIsInFlightAtCloseIsCountedOnceEvenIfItsAnswerComesLater() {
    deliveries.tryAcquire();
    deliveries.tryAcquire();

    deliveries.settle();
    deliveries.finished(2, false);
    deliveries.settle();

    assertThat(dropped("otlp_export_failed")).isEqualTo(2);
    assertThat(deliveries.inFlight()).isZero();
  }

  private double dropped(String reason) {
    return registry
        .get("capability.exporter.events.dropped")
        .tag("reason", reason)
        .counter()
        .count();
  }
}
