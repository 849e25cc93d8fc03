package dev.anvil.gateway.route;

import com.fasterxml.jackson.annotation.JsonInclude;
import dev.anvil.gateway.events.PublishedEvent;

import java.time.Instant;
import java.util.List;

/**
 * A route as the admin API shows it: its variants in assignment order, {@code version} the one with the largest
 * share (the stable one while a canary runs), and, for one route asked by name, its history newest first.
 */
@JsonInclude(JsonInclude.Include.NON_NULL)
public record RouteView(String name, String version, List<VariantView> variants, Instant createdAt,
                        Instant updatedAt, List<PublishedEvent> history) {

    /** A version of the route and its share of the traffic in percent. */
    public record VariantView(String version, int weight) {
    }

    static RouteView of(Route r, List<PublishedEvent> history) {
        List<VariantView> variants = r.variants.stream().map(v -> new VariantView(v.version, v.weight)).toList();
        return new RouteView(r.name, Variant.largest(r.variants), variants, r.createdAt, r.updatedAt, history);
    }
}
