package dev.anvil.gateway.route;

import java.time.Instant;

/** A route as the admin API shows it. */
public record RouteView(String name, String version, Instant updatedAt) {
    static RouteView of(ModelRoute r) {
        return new RouteView(r.name, r.versionId, r.updatedAt);
    }
}
