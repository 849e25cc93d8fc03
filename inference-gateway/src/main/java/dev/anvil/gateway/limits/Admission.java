package dev.anvil.gateway.limits;

import dev.anvil.gateway.GatewayConfig;
import dev.anvil.gateway.access.Caller;
import dev.anvil.gateway.access.KeyLimits;
import io.github.bucket4j.ConsumptionProbe;
import io.github.bucket4j.distributed.BucketProxy;
import io.micrometer.core.instrument.Counter;
import io.micrometer.core.instrument.MeterRegistry;
import jakarta.enterprise.context.ApplicationScoped;

import javax.sql.DataSource;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.EnumMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;
import java.util.OptionalLong;

/**
 * Admits a {@code /v1} request against its key's limits (and its route's, where configured): one request from each
 * requests-per-minute bucket, and the tokens it may spend (prompt plus max_tokens times n) from each token bucket and
 * budget, all or nothing. Buckets live in the database ({@link LockedRowBuckets}), so concurrent requests and every
 * replica share one count; a request that would overdraw any of them is refused with the time to wait. Runs on the
 * request's worker thread, outside any transaction: each bucket is a short transaction of its own.
 */
@ApplicationScoped
public class Admission {
    private final GatewayConfig.RateLimits config;
    private final LockedRowBuckets buckets;
    private final Map<LimitKind, Counter> refusals = new EnumMap<>(LimitKind.class);

    public Admission(GatewayConfig config, DataSource dataSource, MeterRegistry registry) {
        this.config = config.rateLimits();
        this.buckets = new LockedRowBuckets(dataSource);
        for (LimitKind kind : LimitKind.values()) {
            refusals.put(kind, Counter.builder("anvil.gateway.rate.limited")
                    .description("Requests refused by a rate limit or budget (429), by the limit that refused them")
                    .tag("limit", kind.name().toLowerCase(Locale.ROOT)).register(registry));
        }
        String prefix = "anvil.gateway.rate-limits.";
        positive(prefix + "requests-per-minute", this.config.requestsPerMinute());
        positive(prefix + "tokens-per-minute", this.config.tokensPerMinute());
        positive(prefix + "tokens-per-day", this.config.tokensPerDay());
        positive(prefix + "tokens-per-month", this.config.tokensPerMonth());
        this.config.routes().forEach((route, limits) -> {
            positive(prefix + "routes.\"" + route + "\".requests-per-minute", limits.requestsPerMinute());
            positive(prefix + "routes.\"" + route + "\".tokens-per-minute", limits.tokensPerMinute());
        });
    }

    /** A limit below 1 would refuse everything: a configuration mistake, refused at start. */
    private static void positive(String key, OptionalLong value) {
        if (value.isPresent() && value.getAsLong() < 1) {
            throw new IllegalStateException(key + " must be at least 1 (leave it unset for no limit), not "
                    + value.getAsLong());
        }
    }

    /** Admits the request now, or throws {@link RateLimitExceededException}. */
    public Reservation admit(Caller caller, String route, long promptTokens, long completionTokens) {
        return admit(caller, route, promptTokens, completionTokens, Instant.now());
    }

    Reservation admit(Caller caller, String route, long promptTokens, long completionTokens, Instant now) {
        List<Quota> quotas = quotas(caller, route, now);
        if (quotas.isEmpty()) return Reservation.NONE;
        long reserved = promptTokens + completionTokens;
        List<Reservation.Taken> taken = new ArrayList<>(quotas.size());
        List<RateLimitHeaders.Reading> readings = new ArrayList<>(quotas.size());
        for (Quota quota : quotas) {
            long amount = quota.amount(reserved);
            if (amount > quota.limit()) {
                giveBack(taken);
                refusals.get(quota.kind()).increment();
                throw new RateLimitExceededException(quota, "Request too large for " + quota.describe() + ": Limit "
                        + quota.limit() + ", Requested " + amount + ". Lower max_tokens (or n), or shorten the prompt.",
                        Optional.empty(), RateLimitHeaders.of(readings));
            }
            BucketProxy bucket = buckets.builder().build(quota.bucketId(), quota::configuration);
            ConsumptionProbe probe = bucket.tryConsumeAndReturnRemaining(amount);
            readings.add(new RateLimitHeaders.Reading(quota, probe.getRemainingTokens(),
                    Duration.ofNanos(probe.getNanosToWaitForReset())));
            if (!probe.isConsumed()) {
                giveBack(taken);
                refusals.get(quota.kind()).increment();
                Duration wait = quota.kind().isBudget() ? Duration.between(now, quota.kind().periodEnd(now))
                        : Duration.ofNanos(probe.getNanosToWaitForRefill());
                throw new RateLimitExceededException(quota, (quota.kind().isBudget() ? "Budget spent for " : "Rate limit "
                        + "reached for ") + quota.describe() + ": Limit " + quota.limit() + ", Remaining "
                        + probe.getRemainingTokens() + ", Requested " + amount + ". Please try again in "
                        + RateLimitHeaders.format(wait) + ".", Optional.of(wait), RateLimitHeaders.of(readings));
            }
            taken.add(new Reservation.Taken(quota, bucket, amount));
        }
        return new Reservation(reserved, List.copyOf(taken), RateLimitHeaders.of(readings));
    }

    /** The limits on this caller's request to {@code route}: the key's own or the defaults, then the route's. */
    List<Quota> quotas(Caller caller, String route, Instant now) {
        KeyLimits own = caller.limits();
        List<Quota> quotas = new ArrayList<>(6);
        add(quotas, LimitKind.REQUESTS_PER_MINUTE, own.requestsPerMinute(), config.requestsPerMinute(), caller, null, now);
        add(quotas, LimitKind.TOKENS_PER_MINUTE, own.tokensPerMinute(), config.tokensPerMinute(), caller, null, now);
        GatewayConfig.RouteRateLimits routed = config.routes().get(route);
        if (routed != null) {
            add(quotas, LimitKind.REQUESTS_PER_MINUTE, null, routed.requestsPerMinute(), caller, route, now);
            add(quotas, LimitKind.TOKENS_PER_MINUTE, null, routed.tokensPerMinute(), caller, route, now);
        }
        // Budgets last: a request the minute's limits refuse spends no budget, not even for a moment.
        add(quotas, LimitKind.TOKENS_PER_DAY, own.tokensPerDay(), config.tokensPerDay(), caller, null, now);
        add(quotas, LimitKind.TOKENS_PER_MONTH, own.tokensPerMonth(), config.tokensPerMonth(), caller, null, now);
        return quotas;
    }

    private static void add(List<Quota> quotas, LimitKind kind, Long own, OptionalLong fallback, Caller caller,
                            String route, Instant now) {
        OptionalLong limit = own != null ? OptionalLong.of(own) : fallback;
        if (limit.isPresent()) quotas.add(new Quota(kind, limit.getAsLong(), caller.keyId(), route, now));
    }

    /** Returns what an admission took before one of its limits refused it. */
    private static void giveBack(List<Reservation.Taken> taken) {
        for (Reservation.Taken t : taken) t.bucket().addTokens(t.amount());
    }
}
