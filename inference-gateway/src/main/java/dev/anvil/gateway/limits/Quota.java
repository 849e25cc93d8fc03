package dev.anvil.gateway.limits;

import io.github.bucket4j.Bandwidth;
import io.github.bucket4j.BucketConfiguration;

import java.time.Instant;

/**
 * One limit as it applies to one request: its kind, its amount, and the bucket it takes from. The bucket's id names
 * the key, the route (or none), the period of a budget and the amount, so that a changed limit starts a bucket of its
 * own rather than inheriting one made for another amount.
 *
 * @param route the route this limit is for, or null for all of the key's requests
 */
record Quota(LimitKind kind, long limit, String keyId, String route, Instant now) {

    String bucketId() {
        return String.join("|", kind.id, keyId, route == null ? "*" : route, kind.period(now), Long.toString(limit));
    }

    BucketConfiguration configuration() {
        var capacity = Bandwidth.builder().capacity(limit);
        var bandwidth = kind.isBudget() ? capacity.refillIntervally(limit, kind.refillPeriod())
                : capacity.refillGreedy(limit, kind.refillPeriod());
        return BucketConfiguration.builder().addLimit(bandwidth.build()).build();
    }

    /** What one request takes from this limit: 1 request, or the tokens it reserved. */
    long amount(long reservedTokens) {
        return kind.countsTokens ? reservedTokens : 1;
    }

    /** Names the limit in a refusal: its kind and, where it is a route's, the route. */
    String describe() {
        return kind.description + (route == null ? "" : " on model '" + route + "'");
    }
}
