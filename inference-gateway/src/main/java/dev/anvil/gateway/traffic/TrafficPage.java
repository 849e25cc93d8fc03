package dev.anvil.gateway.traffic;

import com.fasterxml.jackson.databind.JsonNode;

import java.time.Instant;
import java.util.List;

/**
 * A version's kept traffic as {@code GET /admin/versions/{id}/traffic} answers it, newest first.
 *
 * @param undecryptable rows in the range that could not be decrypted (another key, or altered) and are left out
 */
public record TrafficPage(String version, List<Sample> samples, int undecryptable) {

    /** One answered request: {@code record} as {@link TrafficRecord} describes it. */
    public record Sample(String responseId, String model, Instant createdAt, JsonNode record) {
    }
}
