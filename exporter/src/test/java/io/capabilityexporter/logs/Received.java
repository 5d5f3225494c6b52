package io.capabilityexporter.logs;

import io.opentelemetry.proto.common.v1.AnyValue;
import io.opentelemetry.proto.common.v1.KeyValue;
import io.opentelemetry.proto.logs.v1.LogRecord;
import io.opentelemetry.proto.resource.v1.Resource;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/** One log record as a receiver decoded it off the wire, with the resource it came with. */
record Received(Resource resource, LogRecord record) {

  Map<String, AnyValue> attributes() {
    return map(record.getAttributesList());
  }

  Map<String, AnyValue> resourceAttributes() {
    return map(resource.getAttributesList());
  }

  private static Map<String, AnyValue> map(List<KeyValue> keyValues) {
    Map<String, AnyValue> map = new LinkedHashMap<>();
    for (KeyValue keyValue : keyValues) {
      if (map.put(keyValue.getKey(), keyValue.getValue()) != null) {
        throw new AssertionError("attribute " + keyValue.getKey() + " sent twice");
      }
    }
    return map;
  }
}
