package dev.anvil.gateway.traffic;

import dev.anvil.gateway.GatewayConfig;
import jakarta.enterprise.context.ApplicationScoped;

import java.util.Optional;

/**
 * The configured key of the traffic store, read once. No key, no traffic kept: prompts and answers are never stored
 * in clear, and an operator opts in by setting a Secret. A key that is not 32 bytes fails the start.
 */
@ApplicationScoped
class TrafficKey {
    static final String PROPERTY = "anvil.gateway.traffic.key";
    static final String ENVIRONMENT = "ANVIL_GATEWAY_TRAFFIC_KEY";

    private final Optional<TrafficCipher> cipher;

    TrafficKey(GatewayConfig config) {
        this.cipher = config.traffic().key().filter(k -> !k.isBlank()).map(k -> TrafficCipher.fromBase64(k, PROPERTY));
    }

    /** Empty while no key is configured. */
    Optional<TrafficCipher> cipher() {
        return cipher;
    }
}
