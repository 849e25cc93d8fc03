package dev.anvil.k8s;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.anvil.k8s.keda.ScaledObject;
import dev.anvil.k8s.manifest.Manifests;
import dev.anvil.k8s.manifest.Yaml;
import dev.anvil.k8s.monitoring.PodMonitor;
import dev.anvil.k8s.monitoring.PrometheusAdapterValues;
import dev.anvil.k8s.service.KafkaUsage;
import dev.anvil.k8s.service.ServiceModule;
import io.fabric8.kubernetes.api.model.autoscaling.v2.HorizontalPodAutoscaler;
import io.fabric8.kubernetes.api.model.autoscaling.v2.MetricSpec;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.TreeSet;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.stream.Collectors;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

/**
 * The autoscalers of the production overlays scale each service on a signal that service really emits: the gateway's
 * custom metric is served by a rule of the shipped Prometheus adapter values from a meter the gateway registers;
 * KEDA's kafka triggers watch the topic and consumer group the service's code consumes; KEDA's Prometheus queries
 * read meters of the service, in its namespace; and Prometheus scrapes every service. (The general rules, such as
 * replicas within partitions and the lag reader's ACLs, are {@link dev.anvil.k8s.check.ScaledObjectCheck}'s.)
 */
class AutoscalingTest {

    static final Path ADAPTER_VALUES = Path.of("addons/prometheus-adapter/values.yaml");
    /** How each service scales: an HPA on CPU (and custom metrics), or KEDA on Kafka lag (and Prometheus). */
    static final Map<String, Class<?>> AUTOSCALERS = Map.of("dataset-service", HorizontalPodAutoscaler.class,
            "inference-gateway", HorizontalPodAutoscaler.class, "trainer-service", ScaledObject.class,
            "eval-service", ScaledObject.class);
    private static final Pattern METRIC = Pattern.compile("\\b(anvil_[a-z0-9_]+)\\b");
    private static final Pattern NAMESPACE_MATCHER = Pattern.compile("namespace\\s*=\\s*\"([^\"]*)\"");

    @ParameterizedTest(name = "{0}")
    @ValueSource(strings = {"overlays/prod", "overlays/gpu"})
    void eachServiceHasOneAutoscalerOnSignalsItEmits(String overlay) throws IOException {
        Manifests manifests = ManifestSources.rendered(overlay);
        PrometheusAdapterValues adapter = adapterValues();

        AUTOSCALERS.forEach((service, kind) -> {
            List<?> hpas = manifests.all(HorizontalPodAutoscaler.class).stream()
                    .filter(h -> h.getSpec().getScaleTargetRef().getName().equals(service)).toList();
            List<?> scaled = manifests.all(ScaledObject.class).stream()
                    .filter(s -> s.spec().scaleTargetRef().name().equals(service)).toList();
            assertEquals(1, hpas.size() + scaled.size(), service + ": one autoscaler");
            assertTrue(kind.isInstance((hpas.isEmpty() ? scaled : hpas).get(0)), service + " scales by " + kind);
        });
        for (HorizontalPodAutoscaler hpa : manifests.all(HorizontalPodAutoscaler.class)) {
            ServiceModule module = module(hpa.getSpec().getScaleTargetRef().getName());
            for (MetricSpec metric : hpa.getSpec().getMetrics()) {
                if (metric.getPods() != null) {
                    assertServedFromMeter(adapter, metric.getPods().getMetric().getName(), module);
                }
            }
        }
        for (ScaledObject scaled : manifests.all(ScaledObject.class)) {
            ServiceModule module = module(scaled.spec().scaleTargetRef().name());
            for (ScaledObject.Trigger trigger : scaled.triggers()) {
                switch (trigger.type()) {
                    case "kafka" -> assertConsumes(module, trigger);
                    case "prometheus" -> assertQueriesOwnMeters(module, trigger, scaled.metadata().getNamespace(),
                            adapter);
                    default -> throw new AssertionError(service(scaled) + ": unexpected trigger " + trigger.type());
                }
            }
        }
    }

    /** The gateway scales on CPU and on a per-pod custom metric; the trainer and eval-service on lag and work. */
    @Test
    void theGatewayScalesOnCpuAndItsQueueAndTheConsumersOnTheirLag() {
        Manifests prod = ManifestSources.rendered("overlays/prod");

        HorizontalPodAutoscaler gateway = prod.find(HorizontalPodAutoscaler.class, "anvil", "inference-gateway")
                .orElseThrow();
        assertEquals(Set.of("Resource:cpu", "Pods:anvil_gateway_queue_depth"), gateway.getSpec().getMetrics()
                .stream().map(m -> m.getType() + ":" + (m.getResource() != null ? m.getResource().getName()
                        : m.getPods().getMetric().getName())).collect(Collectors.toSet()));
        assertTrue(gateway.getSpec().getMinReplicas() >= 2, "two gateways at least, one may be drained");
        assertEquals(Set.of("training.requests"), kafkaTopics(prod, "trainer-service"));
        assertEquals(Set.of("training.events"), kafkaTopics(prod, "eval-service"));
        for (String consumer : List.of("trainer-service", "eval-service")) {
            assertEquals(List.of("kafka", "prometheus"), prod.find(ScaledObject.class, "anvil", consumer).orElseThrow()
                    .triggers().stream().map(ScaledObject.Trigger::type).toList(), consumer + ": lag and work");
        }
    }

    @Test
    void prometheusScrapesEveryServiceOnItsMetricsPath() {
        Manifests prod = ManifestSources.rendered("overlays/prod");

        PodMonitor monitor = prod.all(PodMonitor.class).stream().findFirst().orElseThrow();
        assertEquals(List.of("http:/q/metrics"), monitor.endpoints().stream().map(e -> e.port() + ":" + e.path())
                .toList());
        for (String service : AnvilContract.SERVICE_PORTS.keySet()) {
            Map<String, String> labels = AnvilContract.deployment(prod, "anvil", service).getSpec().getTemplate()
                    .getMetadata().getLabels();
            assertTrue(labels.entrySet().containsAll(monitor.spec().selector().getMatchLabels().entrySet()),
                    service + " is scraped");
        }
    }

    private static void assertServedFromMeter(PrometheusAdapterValues adapter, String metric, ServiceModule module) {
        PrometheusAdapterValues.Rule rule = adapter.customRules().stream()
                .filter(r -> metric.equals(r.metricName())).findFirst()
                .orElseThrow(() -> new AssertionError("no rule of " + ADAPTER_VALUES + " serves " + metric));
        assertTrue(module.meterNames().contains(rule.seriesName()), rule.seriesName() + " is no meter of "
                + module.name() + " (it registers " + module.meterNames() + ")");
        assertEquals(Map.of("namespace", "namespace", "pod", "pod"), rule.labelResources(),
                metric + ": a per-pod metric needs the series' namespace and pod labels mapped");
        assertNotNull(rule.metricsQuery(), metric + " needs a metricsQuery");
        assertTrue(rule.metricsQuery().contains("<<.Series>>") && rule.metricsQuery().contains("<<.LabelMatchers>>")
                && rule.metricsQuery().contains("by (<<.GroupBy>>)"), metric + ": the query must select the asked"
                + " pods and group by them: " + rule.metricsQuery());
    }

    private static void assertConsumes(ServiceModule module, ScaledObject.Trigger trigger) {
        KafkaUsage usage = KafkaUsage.of(ManifestSources.repository(), module, Set.of());
        assertTrue(usage.consumed().contains(trigger.parameter("topic")), module.name() + " does not consume "
                + trigger.parameter("topic") + " (it consumes " + usage.consumed() + ")");
        assertTrue(usage.groups().contains(trigger.parameter("consumerGroup")), module.name() + " consumes in "
                + usage.groups() + ", not " + trigger.parameter("consumerGroup"));
    }

    private static void assertQueriesOwnMeters(ServiceModule module, ScaledObject.Trigger trigger, String namespace,
            PrometheusAdapterValues adapter) {
        String query = trigger.parameter("query");
        Set<String> metrics = matches(METRIC, query);
        assertTrue(!metrics.isEmpty() && module.meterNames().containsAll(metrics), module.name()
                + " registers " + module.meterNames() + ", the query reads " + metrics);
        Set<String> namespaces = matches(NAMESPACE_MATCHER, query);
        assertEquals(Set.of(namespace), namespaces, "the query must read the series of namespace " + namespace
                + " only: " + query);
        assertEquals(adapter.address(), trigger.parameter("serverAddress"),
                "KEDA and the Prometheus adapter read the same Prometheus");
    }

    private static Set<String> kafkaTopics(Manifests manifests, String service) {
        return manifests.all(ScaledObject.class).stream().filter(s -> service(s).equals(service))
                .flatMap(s -> s.triggers().stream()).filter(t -> t.type().equals("kafka"))
                .map(t -> t.parameter("topic")).collect(Collectors.toSet());
    }

    private static Set<String> matches(Pattern pattern, String text) {
        Set<String> found = new TreeSet<>();
        Matcher m = pattern.matcher(text);
        while (m.find()) {
            found.add(m.group(1));
        }
        return found;
    }

    private static String service(ScaledObject scaled) {
        return scaled.spec().scaleTargetRef().name();
    }

    private static ServiceModule module(String service) {
        return new ServiceModule(service, ManifestSources.repository().resolve(service));
    }

    static PrometheusAdapterValues adapterValues() throws IOException {
        Path file = ManifestSources.k8sDir().resolve(ADAPTER_VALUES);
        return Yaml.STRICT.treeToValue(Yaml.tree(Files.readString(file), file.toString()),
                PrometheusAdapterValues.class);
    }
}
