package dev.anvil.dataset.retrain;

import io.smallrye.config.ConfigMapping;
import io.smallrye.config.WithDefault;

import java.net.URI;
import java.time.Duration;
import java.util.Optional;

/** The {@code anvil.dataset.retraining.*} keys (docs/retraining.md; docs/configuration.md lists them). */
@ConfigMapping(prefix = "anvil.dataset.retraining")
public interface RetrainingConfig {

    /**
     * Manual by default: a retraining spends accelerator time and puts users' traffic into a training set, so a
     * person looks at the trigger first unless the operator chose otherwise.
     */
    @WithDefault("manual")
    RetrainingMode mode();

    /** No new retraining on a route within this time after the last one on it requested its training. */
    @WithDefault("PT6H")
    Duration cooldown();

    /** Trainings one route may be asked for per UTC day. */
    @WithDefault("3")
    int maxPerDay();

    /** Traffic records the gateway must give for a retraining to go ahead. */
    @WithDefault("20")
    int minSamples();

    /** The inference-gateway's base URL, whose admin API serves a version's kept traffic. */
    @WithDefault("http://localhost:8080")
    URI gatewayUrl();

    /**
     * The gateway key (scope {@code traffic:read}) sent as the bearer; from the environment
     * (ANVIL_DATASET_RETRAINING_GATEWAY_KEY, a Secret on Kubernetes). Never logged, never recorded.
     */
    Optional<String> gatewayKey();

    /** The newest traffic records read per retraining, over as many pages as it takes. */
    @WithDefault("1000")
    int trafficLimit();

    /** Records asked for per page of traffic; the gateway serves at most 1000 a page. */
    @WithDefault("1000")
    int trafficPageSize();

    /** How long the gateway may take to connect and to answer one page of traffic in full. */
    @WithDefault("PT30S")
    Duration gatewayTimeout();

    /**
     * A retraining still BUILDING this long after its last step was being built by a process that died (an approved
     * build runs in the approval's request, so no redelivery resumes it): the sweep claims it and builds it again.
     * Far above a build's usual time (the traffic within gateway-timeout, then the cleaning), so a live build is not
     * doubled; if one is, the second finds its work done (docs/retraining.md).
     */
    @WithDefault("PT10M")
    Duration buildTimeout();
}
