package dev.anvil.gateway.route;

import jakarta.persistence.Column;
import jakarta.persistence.Embeddable;

import java.util.List;

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

    /** The version with the largest share, the first of equals: a route's stable version while a canary runs. */
    public static String largest(List<Variant> variants) {
        Variant largest = variants.get(0);
        for (Variant v : variants) if (v.weight > largest.weight) largest = v;
        return largest.version;
    }
}
