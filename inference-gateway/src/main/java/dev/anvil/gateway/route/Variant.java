package dev.anvil.gateway.route;

import jakarta.persistence.Column;
import jakarta.persistence.Embeddable;

/** One version of a route and its share of the route's traffic, in percent. */
@Embeddable
public class Variant {
    @Column(name = "version_id")
    public String version;
    public int weight;

    public Variant() {
    }

    public Variant(String version, int weight) {
        this.version = version;
        this.weight = weight;
    }
}
