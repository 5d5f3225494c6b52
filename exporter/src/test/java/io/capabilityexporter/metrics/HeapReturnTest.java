package io.capabilityexporter.metrics;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.Test;

class HeapReturnTest {
  private static final long SECOND = 1_000_000_000L;
  private final AtomicInteger collections = new AtomicInteger();
  private final HeapReturn heap = new HeapReturn(collections::incrementAndGet);

  @Test
  void collects_once_many_series_went_and_not_again_within_a_minute() {
    heap.seriesRemoved(HeapReturn.SERIES - 1, 0);
    assertThat(collections).hasValue(0);
    heap.seriesRemoved(1, SECOND);
    assertThat(collections).as("20,000 gone: once").hasValue(1);

    heap.seriesRemoved(HeapReturn.SERIES * 3, 30 * SECOND);
    assertThat(collections).as("within the minute: not again").hasValue(1);
    heap.seriesRemoved(0, 62 * SECOND);
    assertThat(collections).as("a minute on, with what went meanwhile").hasValue(2);
    heap.seriesRemoved(5, 200 * SECOND);
    assertThat(collections).as("a few series: never worth a pause").hasValue(2);
  }
}
