package dev.anvil.service.kafka;

import io.smallrye.config.ConfigMapping;
import io.smallrye.config.WithDefault;

import java.time.Duration;

/**
 * The {@code anvil.kafka.*} keys every service shares (docs/configuration.md); the brokers themselves are Quarkus's
 * {@code kafka.bootstrap.servers}. Every wait on the broker is bounded, so an outage becomes an error the caller
 * retries rather than a thread stuck for the client's default minutes.
 */
@ConfigMapping(prefix = "anvil.kafka")
public interface KafkaConfig {

    /** How long a send may wait for metadata or buffer space before it fails ({@code max.block.ms}). */
    @WithDefault("PT10S")
    Duration maxBlock();

    /** How long one request to the broker may take ({@code request.timeout.ms}, producers and consumers). */
    @WithDefault("PT10S")
    Duration requestTimeout();

    /**
     * How long a sent message may take to be acknowledged, retries included ({@code delivery.timeout.ms}); at least
     * {@link #requestTimeout()}. It also bounds a consumer's blocking calls such as a commit.
     */
    @WithDefault("PT30S")
    Duration deliveryTimeout();

    /** How long a consumer waits before it tries a record again after its handler failed. */
    @WithDefault("PT2S")
    Duration retryPause();
}
