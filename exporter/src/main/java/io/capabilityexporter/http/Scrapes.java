package io.capabilityexporter.http;

import io.capabilityexporter.metrics.Scraper;

/** One scrape in the asked format: {@link Scraper#scrape(boolean)} in the exporter. */
@FunctionalInterface
public interface Scrapes {
  Scraper.Exposition scrape(boolean openMetrics) throws Exception;
}
