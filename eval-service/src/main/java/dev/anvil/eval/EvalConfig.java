package dev.anvil.eval;

import dev.anvil.eval.verdict.Policy;
import io.smallrye.config.ConfigMapping;
import io.smallrye.config.WithDefault;
import io.smallrye.config.WithName;

import java.time.Duration;
import java.util.Optional;

/** The eval-service's settings ({@code anvil.eval.*}, documented in docs/configuration.md). */
@ConfigMapping(prefix = "anvil.eval")
public interface EvalConfig {

    /** Examples of the validation split an evaluation reads unless its request asks for fewer. */
    @WithDefault("200")
    int maxExamples();

    /** The most examples a request may ask for. */
    @WithDefault("5000")
    int maxExamplesLimit();

    /** Tokens of one rendered conversation that are scored (capped by the model's context length). */
    @WithDefault("512")
    int maxSeqLength();

    /** New tokens of one answer for the generation metrics, unless a request asks otherwise. */
    @WithName("generation.max-new-tokens")
    @WithDefault("64")
    int maxNewTokens();

    /** The verdict's rules by default; a request may override each ({@code policy}). */
    PolicyDefaults policy();

    /**
     * Each rule's threshold ({@link dev.anvil.eval.verdict.Policy}); an empty value turns the rule off (e.g.
     * {@code ANVIL_EVAL_POLICY_MAX_REPETITION_RATE=}).
     */
    interface PolicyDefaults {
        Optional<Double> minPerplexityImprovement();

        Optional<String> taskMetric();

        Optional<Double> maxTaskMetricDrop();

        Optional<Double> maxEmptyAnswerRate();

        Optional<Double> maxRepetitionRate();

        Optional<Double> maxRepetitionIncrease();

        default Policy toPolicy() {
            return new Policy(minPerplexityImprovement().orElse(null), taskMetric().orElse(null),
                    maxTaskMetricDrop().orElse(null), maxEmptyAnswerRate().orElse(null),
                    maxRepetitionRate().orElse(null), maxRepetitionIncrease().orElse(null));
        }
    }

    /** Event streams ({@code GET /evaluations/{id}/events}). */
    Events events();

    interface Events {
        /** How often a stream reads its evaluation from the database. */
        @WithDefault("PT0.5S")
        java.time.Duration pollInterval();

        /** Streams open at once on this replica; one more is answered 503. */
        @WithDefault("64")
        int maxStreams();
    }

    /** How long a replica's lease on an evaluation lasts without a heartbeat. */
    @WithDefault("PT60S")
    Duration leaseTimeout();

    @WithDefault("PT10S")
    Duration heartbeatInterval();

    /** How often a replica looks for evaluations to take when nothing woke it. */
    @WithDefault("PT5S")
    Duration pollInterval();

    /** This replica's name in leases; the host name and a random suffix when absent. */
    Optional<String> instanceId();
}
