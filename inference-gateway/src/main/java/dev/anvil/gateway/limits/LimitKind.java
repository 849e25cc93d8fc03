package dev.anvil.gateway.limits;

import java.time.Duration;
import java.time.Instant;
import java.time.LocalDate;
import java.time.ZoneOffset;
import java.time.temporal.TemporalAdjusters;

/**
 * The four limits a key may have. Per-minute limits are token buckets refilled continuously (a minute's worth of
 * capacity, refilled evenly over the minute); budgets are per calendar day or month in UTC, a new bucket each period.
 */
enum LimitKind {
    REQUESTS_PER_MINUTE("rpm", "requests per min (RPM)", false),
    TOKENS_PER_MINUTE("tpm", "tokens per min (TPM)", true),
    TOKENS_PER_DAY("tpd", "tokens per day (TPD)", true),
    TOKENS_PER_MONTH("tpmo", "tokens per month", true);

    final String id;
    final String description;
    final boolean countsTokens;

    LimitKind(String id, String description, boolean countsTokens) {
        this.id = id;
        this.description = description;
        this.countsTokens = countsTokens;
    }

    boolean isBudget() {
        return this == TOKENS_PER_DAY || this == TOKENS_PER_MONTH;
    }

    /** The calendar period {@code now} is in, as part of a bucket's id: a new period is a new, full bucket. */
    String period(Instant now) {
        LocalDate day = LocalDate.ofInstant(now, ZoneOffset.UTC);
        return switch (this) {
            case TOKENS_PER_DAY -> day.toString();
            case TOKENS_PER_MONTH -> day.toString().substring(0, 7);
            default -> "";
        };
    }

    /** When a budget's period ends and it is full again; per-minute limits refill continuously instead. */
    Instant periodEnd(Instant now) {
        LocalDate day = LocalDate.ofInstant(now, ZoneOffset.UTC);
        LocalDate next = switch (this) {
            case TOKENS_PER_DAY -> day.plusDays(1);
            case TOKENS_PER_MONTH -> day.with(TemporalAdjusters.firstDayOfNextMonth());
            default -> throw new IllegalStateException(this + " has no period");
        };
        return next.atStartOfDay(ZoneOffset.UTC).toInstant();
    }

    /** How long the bucket takes to refill from empty: a minute, or (budgets, never refilled) longer than a period. */
    Duration refillPeriod() {
        return isBudget() ? Duration.ofDays(32) : Duration.ofMinutes(1);
    }
}
