package dev.anvil.dataset.outbox;

import io.smallrye.config.ConfigMapping;
import io.smallrye.config.WithDefault;

import java.time.Duration;

/**
 * The {@code anvil.outbox.*} keys of the relay; Kafka itself is {@code kafka.bootstrap.servers}, and its timeouts
 * are the shared {@code anvil.kafka.*} ones (service-kit).
 */
@ConfigMapping(prefix = "anvil.outbox")
public interface OutboxConfig {

    /** How often pending events are relayed to Kafka (besides right after each new version). */
    @WithDefault("PT2S")
    Duration relayInterval();

    /** Events read from the outbox per relay pass. */
    @WithDefault("100")
    int batchSize();
}
