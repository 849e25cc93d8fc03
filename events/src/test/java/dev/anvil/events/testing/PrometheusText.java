package dev.anvil.events.testing;

import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * A service's {@code /q/metrics} page (Prometheus' text format) as the services' tests read it: the samples of a
 * metric, picked by some of their labels. Each service's tests fetch the page themselves; this only reads it.
 */
public final class PrometheusText {
    /**
     * Name, labels (up to the first closing brace outside a quoted value) and value; what follows the value is left
     * out: a timestamp, or the exemplar OpenMetrics adds when a trace is current ({@code # {trace_id="..."} 1.0}).
     */
    private static final Pattern SAMPLE = Pattern.compile(
            "^([a-zA-Z_:][a-zA-Z0-9_:]*)(?:\\{((?:[^\"}]|\"(?:[^\"\\\\]|\\\\.)*\")*)})?\\s+(\\S+).*$");
    private static final Pattern LABEL = Pattern.compile("([a-zA-Z_][a-zA-Z0-9_]*)=\"((?:[^\"\\\\]|\\\\.)*)\"");

    private record Sample(String name, Map<String, String> labels, double value) {
    }

    private final List<Sample> samples;

    private PrometheusText(List<Sample> samples) {
        this.samples = samples;
    }

    public static PrometheusText parse(String page) {
        List<Sample> samples = new ArrayList<>();
        for (String line : page.split("\n")) {
            if (line.isBlank() || line.startsWith("#")) continue;
            Matcher m = SAMPLE.matcher(line);
            if (!m.matches()) throw new IllegalArgumentException("not a Prometheus sample: " + line);
            Map<String, String> labels = new LinkedHashMap<>();
            if (m.group(2) != null) {
                Matcher l = LABEL.matcher(m.group(2));
                while (l.find()) labels.put(l.group(1), l.group(2));
            }
            samples.add(new Sample(m.group(1), labels, number(m.group(3))));
        }
        return new PrometheusText(samples);
    }

    /** Whether a sample of {@code name} has the labels {@code labels} (name, value, name, value, ...). */
    public boolean has(String name, String... labels) {
        return samples.stream().anyMatch(s -> matches(s, name, labels));
    }

    /**
     * The sum of the samples of {@code name} with the labels {@code labels} (name, value, ...; other labels may
     * differ), e.g. a counter over all its topics.
     *
     * @throws AssertionError when there is no such sample
     */
    public double value(String name, String... labels) {
        List<Sample> found = samples.stream().filter(s -> matches(s, name, labels)).toList();
        if (found.isEmpty()) {
            throw new AssertionError("no sample " + name + " with labels " + List.of(labels) + "; samples of it: "
                    + samples.stream().filter(s -> s.name.equals(name)).map(Sample::labels).toList());
        }
        return found.stream().mapToDouble(Sample::value).sum();
    }

    private static boolean matches(Sample s, String name, String... labels) {
        if (!s.name.equals(name)) return false;
        for (int i = 0; i < labels.length; i += 2) {
            if (!labels[i + 1].equals(s.labels.get(labels[i]))) return false;
        }
        return true;
    }

    private static double number(String text) {
        return switch (text) {
            case "+Inf" -> Double.POSITIVE_INFINITY;
            case "-Inf" -> Double.NEGATIVE_INFINITY;
            default -> Double.parseDouble(text);
        };
    }
}
