package dev.anvil.k8s.monitoring;

import com.fasterxml.jackson.annotation.JsonProperty;
import java.util.List;
import java.util.Map;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.stream.Collectors;

/**
 * The Helm values of the Prometheus adapter (chart prometheus-community/prometheus-adapter) that Anvil ships: where
 * Prometheus is, and the rules that turn its series into custom metrics for HorizontalPodAutoscalers. Read strictly,
 * like the manifests.
 */
public record PrometheusAdapterValues(Prometheus prometheus, Rules rules) {

    public record Prometheus(String url, Integer port) {}

    /** {@code default}: whether the chart's own catch-all rules are served too. */
    public record Rules(@JsonProperty("default") Boolean includeDefaults, List<Rule> custom) {}

    /**
     * One rule: the series it discovers, how their labels map to Kubernetes resources, the metric name it serves
     * ({@code name.as}, else the series name) and the query that computes it.
     */
    public record Rule(String seriesQuery, Resources resources, Name name, String metricsQuery) {

        private static final Pattern SERIES_NAME = Pattern.compile("^\\s*'?([a-zA-Z_:][a-zA-Z0-9_:]*)");

        /** The metric name of the series the rule reads. */
        public String seriesName() {
            Matcher m = SERIES_NAME.matcher(seriesQuery == null ? "" : seriesQuery);
            return m.find() ? m.group(1) : null;
        }

        /** The name HPAs ask for. */
        public String metricName() {
            return name != null && name.as() != null ? name.as() : seriesName();
        }

        /** Which Kubernetes resource each series label names, e.g. namespace -> namespace, pod -> pod. */
        public Map<String, String> labelResources() {
            if (resources == null || resources.overrides() == null) {
                return Map.of();
            }
            return resources.overrides().entrySet().stream()
                    .collect(Collectors.toMap(Map.Entry::getKey, e -> e.getValue().resource()));
        }
    }

    public record Resources(Map<String, Resource> overrides, String template) {}

    public record Resource(String group, String resource) {}

    public record Name(String matches, String as) {}

    public List<Rule> customRules() {
        return rules == null || rules.custom() == null ? List.of() : rules.custom();
    }

    /** The address triggers and clients reach Prometheus at: url:port. */
    public String address() {
        return prometheus.url() + ":" + prometheus.port();
    }
}
