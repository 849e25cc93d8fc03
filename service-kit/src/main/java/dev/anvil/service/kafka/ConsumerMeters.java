package dev.anvil.service.kafka;

import io.micrometer.core.instrument.Counter;
import io.micrometer.core.instrument.MeterRegistry;
import io.micrometer.core.instrument.Timer;

import java.util.EnumMap;
import java.util.Locale;
import java.util.Map;
import java.util.concurrent.TimeUnit;

/**
 * What a {@link ConsumerLoop} counts for its topic (docs/metrics.md): each record's outcome in
 * {@value #CONSUMED}{@code {topic, outcome}} and the time its handling took in {@value #HANDLING}{@code {topic}}.
 * Registered when the loop starts, so that every series exists from zero and a rate over it is defined before the
 * first record.
 */
final class ConsumerMeters {
    static final String CONSUMED = "anvil.kafka.consumed";
    static final String HANDLING = "anvil.kafka.handling.duration";

    /** How the handling of one record ended; a record retried after a failure counts once per attempt. */
    enum Outcome {
        /** The handler returned. */
        HANDLED,
        /** The message was at fault and went to the dead-letter topic. */
        DEAD_LETTERED,
        /** The handler (or the dead-letter send) threw; the record is tried again. */
        FAILED;

        String tag() {
            return name().toLowerCase(Locale.ROOT).replace('_', '-');
        }
    }

    private final Map<Outcome, Counter> consumed = new EnumMap<>(Outcome.class);
    private final Timer handling;

    ConsumerMeters(MeterRegistry registry, String topic) {
        for (Outcome outcome : Outcome.values()) {
            consumed.put(outcome, Counter.builder(CONSUMED).description("Kafka records consumed, by outcome")
                    .tags("topic", topic, "outcome", outcome.tag()).register(registry));
        }
        handling = Timer.builder(HANDLING).description("Time to handle one consumed Kafka record")
                .tag("topic", topic).register(registry);
    }

    /** Counts a record handled since {@code startNanos} ({@link System#nanoTime()}) with {@code outcome}. */
    void record(Outcome outcome, long startNanos) {
        handling.record(System.nanoTime() - startNanos, TimeUnit.NANOSECONDS);
        consumed.get(outcome).increment();
    }
}
