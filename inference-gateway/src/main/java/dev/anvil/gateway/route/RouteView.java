package dev.anvil.gateway.route;

import com.fasterxml.jackson.annotation.JsonInclude;

import java.time.Instant;
import java.util.List;
import java.util.Map;

/**
 * A route as the admin API shows it: its variants in assignment order, {@code version} the one with the largest
 * share (the stable one while a canary runs), and, for one route asked by name, its history newest first.
 */
@JsonInclude(JsonInclude.Include.NON_NULL)
public record RouteView(String name, String version, List<VariantView> variants, Instant createdAt,
                        Instant updatedAt, List<Change> history) {

    /** A version of the route and its share of the traffic in percent. */
    public record VariantView(String version, int weight) {
    }

    /** One change of the route's split: the shares (0..1) after it, and why. */
    public record Change(Instant at, Map<String, Double> shares, String reason) {
    }

    static RouteView of(Route r, List<Change> history) {
        List<VariantView> variants = r.variants.stream().map(v -> new VariantView(v.version, v.weight)).toList();
        VariantView largest = variants.get(0);
        for (VariantView v : variants) if (v.weight() > largest.weight()) largest = v;
        return new RouteView(r.name, largest.version(), variants, r.createdAt, r.updatedAt, history);
    }
}
