package io.capabilityexporter.deploy;

import io.fabric8.kubernetes.api.model.GenericKubernetesResource;
import java.beans.Introspector;
import java.lang.reflect.InvocationTargetException;
import java.lang.reflect.Method;
import java.util.ArrayList;
import java.util.Collection;
import java.util.List;
import java.util.Map;

/**
 * Fields that fabric8's model classes do not know, which they keep in {@code additionalProperties}
 * instead of refusing: a misspelt {@code readOnlyRootFileSystem} parses, and Kubernetes would drop
 * it. Custom resources (generic) are not looked into.
 */
final class UnknownFields {
  private static final String MODEL = "io.fabric8.kubernetes.api.model";

  private UnknownFields() {}

  /** Paths such as {@code .spec.template.spec.hostPid} of the fields nobody knows. */
  static List<String> of(Object object) {
    List<String> unknown = new ArrayList<>();
    walk(object, "", unknown);
    return unknown;
  }

  private static void walk(Object value, String path, List<String> unknown) {
    if (value == null || value instanceof GenericKubernetesResource) {
      return;
    }
    if (value instanceof Collection<?> items) {
      int i = 0;
      for (Object item : items) {
        walk(item, path + "[" + i++ + "]", unknown);
      }
      return;
    }
    if (value instanceof Map<?, ?> map) {
      map.forEach((key, item) -> walk(item, path + "." + key, unknown));
      return;
    }
    if (!value.getClass().getName().startsWith(MODEL)) {
      return;
    }
    for (Method getter : value.getClass().getMethods()) {
      Class<?> type = getter.getReturnType();
      boolean nested =
          Map.class.isAssignableFrom(type)
              || Collection.class.isAssignableFrom(type)
              || type.getName().startsWith(MODEL);
      if (getter.getParameterCount() != 0 || !getter.getName().startsWith("get") || !nested) {
        continue;
      }
      Object child;
      try {
        child = getter.invoke(value);
      } catch (IllegalAccessException | InvocationTargetException e) {
        throw new IllegalStateException(getter.toString(), e);
      }
      if (getter.getName().equals("getAdditionalProperties")) {
        ((Map<?, ?>) child).keySet().forEach(key -> unknown.add(path + "." + key));
      } else {
        walk(child, path + "." + Introspector.decapitalize(getter.getName().substring(3)), unknown);
      }
    }
  }
}
