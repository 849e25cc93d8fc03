package dev.anvil.gateway.limits;

import dev.anvil.gateway.GatewayConfig;
import dev.anvil.gateway.access.Caller;
import dev.anvil.gateway.access.KeyLimits;
import com.github.benmanes.caffeine.cache.Cache;
import com.github.benmanes.caffeine.cache.Caffeine;
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
    /**
     * Per-minute buckets this replica found short, by id: a client that does not wait for its Retry-After is refused
     * here until then, without a row lock per try (budgets are left out: a refund may refill them long before their
     * period ends). Only ever stricter than the database: tokens given back meanwhile wait for the next look.
     */
    private final Cache<String, Shortfall> shortfalls = Caffeine.newBuilder().maximumSize(100_000)
            .expireAfterWrite(Duration.ofMinutes(1)).build();

    /** A bucket that had {@code remaining} when {@code amount} was refused, not enough again before {@code untilNanos}. */
    private record Shortfall(long amount, long untilNanos, long remaining, Duration untilFull) {
    }

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
                throw refuse(taken, quota, "Request too large for " + quota.describe() + ": Limit " + quota.limit()
                        + ", Requested " + amount + ". Lower max_tokens (or n), or shorten the prompt.", null, readings);
            }
            Shortfall known = shortfalls.getIfPresent(quota.bucketId());
            long nowNanos = System.nanoTime();
            if (known != null && amount >= known.amount() && nowNanos - known.untilNanos() < 0) {
                // Refused here without the database: the bucket had less than this a moment ago and cannot have
                // refilled enough since (the client was told to wait until then anyway).
                readings.add(new RateLimitHeaders.Reading(quota, known.remaining(), known.untilFull()));
                throw refuse(taken, quota, amount, known.remaining(),
                        Duration.ofNanos(known.untilNanos() - nowNanos), now, readings);
            }
            BucketProxy bucket = buckets.builder().build(quota.bucketId(), quota::configuration);
            ConsumptionProbe probe = bucket.tryConsumeAndReturnRemaining(amount);
            readings.add(new RateLimitHeaders.Reading(quota, probe.getRemainingTokens(),
                    Duration.ofNanos(probe.getNanosToWaitForReset())));
            if (!probe.isConsumed()) {
                Duration wait = Duration.ofNanos(probe.getNanosToWaitForRefill());
                if (!quota.kind().isBudget()) {
                    shortfalls.put(quota.bucketId(), new Shortfall(amount, nowNanos + wait.toNanos(),
                            probe.getRemainingTokens(), Duration.ofNanos(probe.getNanosToWaitForReset())));
                }
                throw refuse(taken, quota, amount, probe.getRemainingTokens(), wait, now, readings);
            }
            taken.add(new Reservation.Taken(quota, bucket, amount));
        }
        return new Reservation(reserved, List.copyOf(taken), RateLimitHeaders.of(readings));
    }

    /**
     * A refusal of {@code amount} from {@code quota}'s bucket that had {@code remaining}, after giving back what the
     * admission took: the wait is the bucket's refill, or for a budget the end of its period.
     */
    private RateLimitExceededException refuse(List<Reservation.Taken> taken, Quota quota, long amount, long remaining,
                                              Duration refill, Instant now, List<RateLimitHeaders.Reading> readings) {
        Duration wait = quota.kind().isBudget() ? Duration.between(now, quota.kind().periodEnd(now)) : refill;
        return refuse(taken, quota, (quota.kind().isBudget() ? "Budget spent for " : "Rate limit reached for ")
                + quota.describe() + ": Limit " + quota.limit() + ", Remaining " + remaining + ", Requested " + amount
                + ". Please try again in " + RateLimitHeaders.format(wait) + ".", wait, readings);
    }

    private RateLimitExceededException refuse(List<Reservation.Taken> taken, Quota quota, String message, Duration wait,
                                              List<RateLimitHeaders.Reading> readings) {
        giveBack(taken);
        refusals.get(quota.kind()).increment();
        return new RateLimitExceededException(quota, message, Optional.ofNullable(wait), RateLimitHeaders.of(readings));
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
