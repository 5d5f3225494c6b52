package io.capabilityexporter.logs;

import io.opentelemetry.sdk.common.CompletableResultCode;
import io.opentelemetry.sdk.logs.data.LogRecordData;
import io.opentelemetry.sdk.logs.export.LogRecordExporter;
import java.util.Collection;

/** The OTLP exporter, telling {@link Deliveries} how each batch ended. */
final class CountingLogRecordExporter implements LogRecordExporter {
  private final LogRecordExporter delegate;
  private final Deliveries deliveries;

  CountingLogRecordExporter(LogRecordExporter delegate, Deliveries deliveries) {
    this.delegate = delegate;
    this.deliveries = deliveries;
  }

  @Override
  public CompletableResultCode export(Collection<LogRecordData> logs) {
    // The processor reuses and clears its batch list: take the size now.
    int records = logs.size();
    CompletableResultCode result;
    try {
      result = delegate.export(logs);
    } catch (RuntimeException e) {
      deliveries.finished(records, false);
      return CompletableResultCode.ofExceptionalFailure(e);
    }
    result.whenComplete(() -> deliveries.finished(records, result.isSuccess()));
    return result;
  }

  @Override
  public CompletableResultCode flush() {
    return delegate.flush();
  }

  @Override
  public CompletableResultCode shutdown() {
    return delegate.shutdown();
  }

  @Override
  public String toString() {
    return "CountingLogRecordExporter{" + delegate + "}";
  }
}
