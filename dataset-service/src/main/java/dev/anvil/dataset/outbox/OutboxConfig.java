package dev.anvil.dataset.outbox;

import io.smallrye.config.ConfigMapping;
import io.smallrye.config.WithDefault;

import java.time.Duration;

/** The {@code anvil.outbox.*} keys of the relay; Kafka itself is {@code kafka.bootstrap.servers}. */
@ConfigMapping(prefix = "anvil.outbox")
public interface OutboxConfig {

    /** How often pending events are relayed to Kafka (besides right after each new version). */
    @WithDefault("PT2S")
    Duration relayInterval();

    /** How long one send may wait for the broker before the relay retries later. */
    @WithDefault("PT10S")
    Duration sendTimeout();

    /** Events read from the outbox per relay pass. */
    @WithDefault("100")
    int batchSize();
}
