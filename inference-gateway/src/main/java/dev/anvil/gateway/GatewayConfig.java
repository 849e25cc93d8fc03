package dev.anvil.gateway;

import dev.anvil.gateway.drift.DriftSettings;
import dev.anvil.gateway.drift.DriftThresholds;
import dev.anvil.service.pii.PiiType;
import io.smallrye.config.ConfigMapping;
import io.smallrye.config.WithDefault;

import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.OptionalLong;
import java.util.Set;

/**
 * The gateway's configuration ({@code anvil.gateway.*}, documented in docs/configuration.md); the shared data
 * directory is {@code anvil.data-dir}, read where it is needed.
 */
@ConfigMapping(prefix = "anvil.gateway")
public interface GatewayConfig {

    /** Base models loaded at start, by name under {@code models/}. */
    List<String> baseModels();

    Engine engine();

    Limits limits();

    RateLimits rateLimits();

    Cache cache();

    /** The response cache of deterministic requests (docs/gateway-api.md, "Response cache"). */
    interface Cache {
        @WithDefault("true")
        boolean enabled();

        /** The most the cached answers may hold, estimated in bytes (0: no cache). */
        @WithDefault("67108864")
        long maxBytes();

        /** How long an answer is kept. */
        @WithDefault("PT10M")
        Duration ttl();
    }

    /** The longest a request may run, queued and generating; past it, it is stopped and answered with an error. */
    @WithDefault("PT5M")
    Duration requestTimeout();

    /**
     * How long a stream gathers deltas before it writes them, merged into one chunk per choice (0: each at once).
     * Fewer, larger chunks cost the server and the client less; the first token waits at most this long.
     */
    @WithDefault("PT0.01S")
    Duration streamInterval();

    /**
     * Models served from a version's own directory (merged or fully fine-tuned), loaded on first use, at most this
     * many at once besides the base models.
     */
    @WithDefault("2")
    int maxLoadedModels();

    /** The admin API's key; unset, the admin API is disabled (every call 503). Never logged. */
    Optional<String> adminKey();

    Keys keys();

    Events events();

    interface Events {
        /** How often changes not yet on model.events are sent (besides right after each change). */
        @WithDefault("PT1S")
        Duration publishInterval();
    }

    /**
     * This replica's name in the live metrics it writes ({@code version_traffic.instance_id}); unset, the host name
     * (the pod's name on Kubernetes) and a random suffix, so that a restarted pod is told from its predecessor.
     */
    Optional<String> instanceId();

    Live live();

    Traffic traffic();

    Rollout rollout();

    Drift drift();

    /** Drift monitoring: how traffic is cut into windows and past what a feature has drifted (docs/gateway-api.md). */
    interface Drift {
        /** Off, answered requests are not measured at all. */
        @WithDefault("true")
        boolean enabled();

        /** Whether prompts are embedded (all-MiniLM-L6-v2, a few ms of CPU per prompt) for the topic feature. */
        @WithDefault("true")
        boolean embeddings();

        /**
         * Embeds one prompt in this many: a centroid needs far fewer samples than the other features, and each
         * embedding takes CPU that a CPU-bound engine misses (docs/benchmarks.md).
         */
        @WithDefault("4")
        int embedEvery();

        /** How many of a version's first requests make its reference. */
        @WithDefault("500")
        int referenceSize();

        /** How many requests close a live window. */
        @WithDefault("200")
        int windowSize();

        /** A window older than {@code window-max-age} is compared once it holds this many requests. */
        @WithDefault("100")
        int minSamples();

        @WithDefault("PT15M")
        Duration windowMaxAge();

        /** How many of the reference's most frequent token ids are common; the others count as rare. */
        @WithDefault("1000")
        int rareTop();

        /** PSI above which a numeric feature may have drifted (with the KS p-value below {@code ks-p-value}). */
        @WithDefault("0.2")
        double psi();

        @WithDefault("0.01")
        double ksPValue();

        /** Jensen-Shannon distance (bits) above which a categorical feature has drifted. */
        @WithDefault("0.1")
        double jensenShannon();

        /** Cosine distance of the prompt-embedding centroids above which the prompts' topic has drifted. */
        @WithDefault("0.1")
        double centroidDistance();

        /** After an alert, how long the same version and feature raise no other (across replicas). */
        @WithDefault("PT1H")
        Duration cooldown();

        /** Answered requests waiting to be measured; past it, a request is left out (and counted). */
        @WithDefault("1000")
        int queueCapacity();

        NegativeFeedback negativeFeedback();

        /**
         * The second retraining trigger: a version whose clients rate at least {@code share} of its answers down,
         * over the ratings of the last {@code window} (at least {@code min-ratings} of them), raises
         * {@code DriftDetected} feature {@code negative_feedback}, within the same cool-down as drift.
         */
        interface NegativeFeedback {
            @WithDefault("true")
            boolean enabled();

            /** Ratings in the window before it can fire: a few early votes are no verdict. */
            @WithDefault("20")
            int minRatings();

            /** The share of negative ratings at which it fires. */
            @WithDefault("0.3")
            double share();

            /** How far back ratings count, by when they were last given. */
            @WithDefault("PT1H")
            Duration window();
        }

        default DriftSettings settings() {
            return new DriftSettings(referenceSize(), windowSize(), minSamples(), windowMaxAge(), rareTop(),
                    new DriftThresholds(psi(), ksPValue(), jensenShannon(), centroidDistance()));
        }
    }

    /**
     * How a version that passed its evaluation enters its route, as Flagger's canary analysis does it: at
     * {@code first-weight} percent, then every {@code interval} its live metrics are checked against the stable
     * version's; a passing check adds {@code step-weight} up to {@code max-weight}, a passing check at
     * {@code max-weight} promotes it, and {@code threshold} failed checks roll it back.
     */
    interface Rollout {
        @WithDefault("10")
        int firstWeight();

        @WithDefault("10")
        int stepWeight();

        @WithDefault("50")
        int maxWeight();

        @WithDefault("PT1M")
        Duration interval();

        /** Failed checks that roll a canary back. */
        @WithDefault("5")
        int threshold();

        /** Requests the canary must have served in an interval for its check to count (fewer: skipped). */
        @WithDefault("20")
        int minRequests();

        /** The canary's error rate may exceed the stable version's by this much (0.01: one point). */
        @WithDefault("0.01")
        double maxErrorRateIncrease();

        /** The canary's p99 latency may be this many times the stable version's ... */
        @WithDefault("1.5")
        double maxLatencyRatio();

        /** ... or the stable version's plus this, whichever is more (a latency bucket's width is no regression). */
        @WithDefault("PT0.1S")
        Duration latencySlack();

        @WithDefault("0.05")
        double maxRefusalRateIncrease();

        /** The canary's share of negative ratings may exceed the stable version's by this much ... */
        @WithDefault("0.1")
        double maxNegativeFeedbackIncrease();

        /** ... once it has at least this many ratings in the interval. */
        @WithDefault("5")
        int minFeedback();

        /**
         * Whether a check fails when the canary's answer lengths drifted from the stable version's (the drift
         * monitor's PSI and KS thresholds); off, the drift is reported in each check only. Answer lengths follow the
         * prompts and clients' max_tokens too, so it suits routes whose clients are alike.
         */
        @WithDefault("false")
        boolean driftCheck();
    }

    interface Live {
        /** How often this replica writes its per-version counts to the database, where all replicas add up. */
        @WithDefault("PT5S")
        Duration flushInterval();

        /** How long flushed counts and served response ids (what feedback may name) are kept. */
        @WithDefault("P7D")
        Duration retention();
    }

    /**
     * What is kept of answered requests (prompts and answers) for retraining: only with a key, encrypted, bounded
     * per version and per sample, and for a limited time.
     */
    interface Traffic {
        /**
         * The AES-256 key, base64 of 32 bytes (from a Secret through {@code ANVIL_GATEWAY_TRAFFIC_KEY}); unset, no
         * traffic is kept. Never logged.
         */
        Optional<String> key();

        /** Answered requests waiting to be written; one more is dropped (and counted), never waited for. */
        @WithDefault("1000")
        int queueCapacity();

        /** How often the waiting requests are written, 100 to a transaction (sooner once the queue is half full). */
        @WithDefault("PT2S")
        Duration flushInterval();

        /** Samples kept per version; the oldest beyond it are deleted as new ones are written. */
        @WithDefault("10000")
        int maxPerVersion();

        /** The most characters of text one sample keeps, all its texts together; longer ones are cut and marked. */
        @WithDefault("32000")
        int maxSampleChars();

        /** How long a sample is kept. */
        @WithDefault("P7D")
        Duration retention();
    }

    Safety safety();

    /**
     * Output safety (docs/gateway-api.md, "Redaction and content filters"): what answers have masked, and what
     * refuses a prompt or cuts an answer. Checked at start ({@code SafetyRules}): a bad pattern fails it.
     */
    interface Safety {
        /** Whether personal data in answers is replaced by its typed placeholder ({@code [EMAIL]}, ...). */
        @WithDefault("true")
        boolean redactPii();

        /** Which kinds of personal data ({@code email, phone, credit-card, iban, ip-address}); unset, all. */
        Optional<Set<PiiType>> piiTypes();

        /** Words or phrases masked in answers, matched case-insensitively as whole words. */
        Optional<List<String>> blockedTerms();

        /** Java regular expressions whose matches are masked in answers. */
        Optional<List<String>> blockedPatterns();

        /** What replaces a blocked term or pattern (personal data keeps its typed placeholder). */
        @WithDefault("[REDACTED]")
        String mask();

        /**
         * The characters a stream holds back per choice, so that a term split across deltas is still found: at least
         * the longest term; a pattern's match is only found whole within it.
         */
        @WithDefault("64")
        int holdBackChars();

        /** A prompt that matches one is refused (400, code {@code content_filter}). */
        Filters promptFilters();

        /** An answer that matches one is cut before the match (finish reason {@code content_filter}). */
        Filters responseFilters();

        interface Filters {
            /** Matched as {@code blocked-terms} are. */
            Optional<List<String>> terms();

            /** Java regular expressions. */
            Optional<List<String>> patterns();
        }
    }

    interface Keys {
        /** How long a verified API key is trusted without a database read; a revocation elsewhere waits this long. */
        @WithDefault("PT1S")
        Duration cacheTtl();
    }

    interface Engine {
        /** Requests waiting per base model; one more is answered 429 at once. */
        @WithDefault("64")
        int queueCapacity();

        /** Rows (a request takes n) decoded together. */
        @WithDefault("32")
        int maxBatchRows();

        /** Adapters kept attached per base model, least recently used detached first. */
        @WithDefault("8")
        int maxAdapters();

        /** The longest a batch waits to gather the rows it expects (0: never waits). */
        @WithDefault("PT0.05S")
        Duration batchWait();
    }

    interface Limits {
        /** The largest request body; a larger one is answered 413. */
        @WithDefault("1048576")
        long maxRequestBytes();

        /** The most messages in one chat request. */
        @WithDefault("256")
        int maxMessages();

        /** The most tokens one request may ask for (max_tokens), below the model's context in any case. */
        @WithDefault("4096")
        int maxTokens();

        /** The most choices (n) one request may ask for. */
        @WithDefault("8")
        int maxN();
    }

    /**
     * Limits on what one API key spends (docs/gateway-api.md, "Rate limits and budgets"): these apply to every key
     * without limits of its own (set through /admin/keys); unset, there is no such limit. Tokens are prompt plus
     * completion; a request reserves its prompt and max_tokens (times n) at admission and gets back what it did not use.
     */
    interface RateLimits {
        OptionalLong requestsPerMinute();

        OptionalLong tokensPerMinute();

        /** Tokens per calendar day (UTC). */
        OptionalLong tokensPerDay();

        /** Tokens per calendar month (UTC). */
        OptionalLong tokensPerMonth();

        /** Per route (the public model name): what each key may send to that route, besides its own limits. */
        Map<String, RouteRateLimits> routes();
    }

    interface RouteRateLimits {
        OptionalLong requestsPerMinute();

        OptionalLong tokensPerMinute();
    }
}
