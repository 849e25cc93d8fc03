package dev.anvil.gateway.route;

import dev.anvil.gateway.access.Credentials;

import java.nio.ByteBuffer;
import java.util.List;
import java.util.concurrent.ThreadLocalRandom;

/**
 * Which variant of a route serves a caller. The caller's subject (the request's {@code user}, else its API key) and
 * the route's name hash to a bucket in 0..99; the variants own consecutive ranges of buckets, as wide as their
 * weights, in the route's order. One subject always lands in one bucket, so it keeps its variant while the weights
 * stay; when only the last variant (a canary) grows, its users keep it and it gains the buckets next to it.
 * Hashing the route's name in spreads one user over the routes independently.
 */
public final class StickyAssignment {
    static final int BUCKETS = 100;

    private StickyAssignment() {
    }

    /** The bucket of {@code subject} on {@code route}; a request with no subject gets a random one. */
    public static int bucket(String route, String subject) {
        if (subject == null) return ThreadLocalRandom.current().nextInt(BUCKETS);
        byte[] digest = Credentials.sha256(route + '\u0000' + subject);
        return (int) Long.remainderUnsigned(ByteBuffer.wrap(digest).getLong(), BUCKETS);
    }

    /** The variant owning {@code bucket}; the weights of {@code variants} sum to 100. */
    public static Variant pick(List<Variant> variants, int bucket) {
        int end = 0;
        for (Variant v : variants) {
            end += v.weight;
            if (bucket < end) return v;
        }
        throw new IllegalStateException("the weights of the variants sum to " + end + ", not " + BUCKETS);
    }
}
