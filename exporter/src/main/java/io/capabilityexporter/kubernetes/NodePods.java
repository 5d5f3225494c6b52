package io.capabilityexporter.kubernetes;

import io.capabilityexporter.domain.PodFacts;
import io.capabilityexporter.domain.PodLookup;
import io.fabric8.kubernetes.api.model.Pod;
import io.fabric8.kubernetes.client.WatcherException;
import io.fabric8.kubernetes.client.informers.SharedIndexInformer;
import io.fabric8.kubernetes.client.informers.cache.Cache;
import io.micrometer.core.instrument.Counter;
import io.micrometer.core.instrument.Gauge;
import io.micrometer.core.instrument.MeterRegistry;
import java.io.IOException;
import java.lang.System.Logger.Level;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.ConcurrentHashMap;

/**
 * The pods of one node, as the API server describes them: a fabric8 informer on {@code
 * spec.nodeName=NODE}, so each node's exporter lists and watches its own pods only. It never blocks
 * the exporter: with the API server unreachable at start or later it retries with backoff, counts
 * each failure in {@code capability_exporter_kubernetes_api_failures_total}, and says whether it
 * has synced (for /readyz) and whether it is watching now.
 */
public final class NodePods implements PodLookup, AutoCloseable {
  private static final System.Logger LOG = System.getLogger(NodePods.class.getName());
  private static final String BY_UID = "uid";

  private final SharedIndexInformer<Pod> informer;
  private final String node;
  private final WatchHealth watches;
  private final Counter failures;
  private final Map<String, Versioned> facts = new ConcurrentHashMap<>();

  private static final int MAX_CACHED_FACTS = 4096;

  /**
   * Pods deleted lately, by uid and by namespace/name: a Job's or a {@code kubectl run --rm} pod's
   * last checks are often scraped after the pod is gone from the API server, and must still carry
   * its name and be judged by its spec.
   */
  static final int MAX_DELETED = 1024;

  private final Map<String, Pod> deletedByUid = boundedMap();
  private final Map<String, Pod> deletedByKey = boundedMap();

  private static Map<String, Pod> boundedMap() {
    return java.util.Collections.synchronizedMap(
        new java.util.LinkedHashMap<>() {
          @Override
          protected boolean removeEldestEntry(Map.Entry<String, Pod> eldest) {
            return size() > MAX_DELETED;
          }
        });
  }

  private record Versioned(String version, PodFacts facts) {}

  private NodePods(
      SharedIndexInformer<Pod> informer, String node, WatchHealth watches, Counter failures) {
    this.informer = informer;
    this.node = node;
    this.watches = watches;
    this.failures = failures;
  }

  /**
   * Starts listing and watching {@code node}'s pods and returns at once; the first list may still
   * be under way (see {@link #synced()}).
   */
  public static NodePods watch(KubernetesConnection connection, MeterRegistry registry) {
    String node = connection.node();
    SharedIndexInformer<Pod> informer =
        connection
            .client()
            .pods()
            .inAnyNamespace()
            .withField("spec.nodeName", node)
            .runnableInformer(0);
    informer.addIndexers(Map.of(BY_UID, pod -> List.of(uidOf(pod))));
    Counter failures =
        Counter.builder("capability.exporter.kubernetes.api.failures")
            .description(
                "Failed lists and watches of this node's pods; the informer retries with backoff.")
            .register(registry);
    NodePods pods = new NodePods(informer, node, connection.watches(), failures);
    informer.exceptionHandler(pods::retryAfter);
    connection.watches().onFailure(failure -> pods.failed("watch", failure));
    informer.addEventHandler(
        new io.fabric8.kubernetes.client.informers.ResourceEventHandler<Pod>() {
          @Override
          public void onAdd(Pod pod) {}

          @Override
          public void onUpdate(Pod old, Pod pod) {}

          @Override
          public void onDelete(Pod pod, boolean finalStateUnknown) {
            pods.deleted(pod);
          }
        });
    Gauge.builder(
            "capability.exporter.kubernetes.watching", pods, p -> p.watches.watching() ? 1 : 0)
        .description("1 while the watch on this node's pods is established.")
        .register(registry);
    Gauge.builder("capability.exporter.kubernetes.pods", informer, i -> i.getStore().list().size())
        .description("Pods of this node the exporter knows.")
        .register(registry);
    informer.start();
    return pods;
  }

  /**
   * The informer's choice after a failed list, or a watch fabric8 gave up on: always try again. A
   * watch whose stream broke was counted when it broke ({@link WatchHealth}).
   */
  private boolean retryAfter(boolean started, Throwable failure) {
    if (failure instanceof WatcherException && failure.getCause() instanceof IOException) {
      return true;
    }
    failed(failure instanceof WatcherException ? "watch" : "list", failure);
    return true;
  }

  private void failed(String what, Throwable failure) {
    failures.increment();
    LOG.log(
        Level.WARNING,
        "Kubernetes API: cannot "
            + what
            + " the pods of node "
            + node
            + " ("
            + failure.getMessage()
            + "); retrying. Checks of pods not yet known stay counted in the kernel until then.");
  }

  private void deleted(Pod pod) {
    if (pod == null || pod.getMetadata() == null) {
      return;
    }
    deletedByUid.put(uidOf(pod), pod);
    deletedByKey.put(
        Cache.namespaceKeyFunc(pod.getMetadata().getNamespace(), pod.getMetadata().getName()), pod);
  }

  /** The pod with this uid, if it runs on this node or did lately. */
  public Optional<Pod> byUid(String uid) {
    List<Pod> pods = informer.getIndexer().byIndex(BY_UID, uid);
    return pods.isEmpty() ? Optional.ofNullable(deletedByUid.get(uid)) : Optional.of(pods.get(0));
  }

  /**
   * Asked for every check event and every series that moved: the facts are built once per version
   * of the pod, not once per question.
   */
  @Override
  public Optional<PodFacts> pod(String namespace, String name) {
    if (name.isEmpty()) {
      return Optional.empty(); // not a pod: the host, a systemd unit
    }
    String key = Cache.namespaceKeyFunc(namespace, name);
    Pod pod = informer.getStore().getByKey(key);
    if (pod == null) {
      pod = deletedByKey.get(key);
    }
    if (pod == null) {
      facts.remove(key);
      return Optional.empty();
    }
    String version = String.valueOf(pod.getMetadata().getResourceVersion());
    Versioned known = facts.get(key);
    if (known != null && known.version().equals(version)) {
      return Optional.of(known.facts());
    }
    PodFacts built = PodFactsOf.of(pod);
    if (facts.size() >= MAX_CACHED_FACTS) {
      facts.clear(); // a bound, not a policy: a node runs a few hundred pods at most
    }
    facts.put(key, new Versioned(version, built));
    return Optional.of(built);
  }

  /** The first list of the node's pods has arrived. */
  public boolean synced() {
    return informer.hasSynced();
  }

  /** The watch is up now: what the cache says is current. */
  public boolean watching() {
    return watches.watching();
  }

  @Override
  public void close() {
    informer.close();
  }

  private static String uidOf(Pod pod) {
    return pod.getMetadata() == null || pod.getMetadata().getUid() == null
        ? ""
        : pod.getMetadata().getUid();
  }
}
