package io.capabilityexporter.node;

import io.capabilityexporter.http.HttpLimits;
import io.capabilityexporter.http.ListenAddress;
import io.capabilityexporter.webconfig.WebConfig;
import java.nio.file.Path;

/**
 * How {@code run} serves the exporter over HTTP, as its flags said.
 *
 * @param telemetryPath where the metrics are ({@code /metrics})
 * @param webConfigFile the web config file, followed for changes; null for none
 * @param webConfig what the file held at start-up ({@link WebConfig#NONE} without one)
 */
public record Serving(
    ListenAddress address,
    String telemetryPath,
    HttpLimits limits,
    Path webConfigFile,
    WebConfig webConfig) {}
