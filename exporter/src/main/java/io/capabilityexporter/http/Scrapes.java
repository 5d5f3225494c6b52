package io.capabilityexporter.http;

import io.capabilityexporter.metrics.Scraper;
import java.io.OutputStream;

/**
 * One scrape in the asked format, written to {@code out}; returns its Content-Type: {@link
 * Scraper#scrape(boolean, OutputStream)} in the exporter.
 */
@FunctionalInterface
public interface Scrapes {
  String scrape(boolean openMetrics, OutputStream out) throws Exception;
}
