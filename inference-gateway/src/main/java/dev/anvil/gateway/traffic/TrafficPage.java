package dev.anvil.gateway.traffic;

import com.fasterxml.jackson.annotation.JsonInclude;
import com.fasterxml.jackson.databind.JsonNode;

import java.time.Instant;
import java.util.List;

/**
 * A version's kept traffic as {@code GET /admin/versions/{id}/traffic} answers it, newest first.
 *
 * @param undecryptable rows in the range that could not be decrypted (another key, or altered) and are left out
 * @param corrected     with {@code feedback=apply}: answers replaced by their correction (absent otherwise)
 * @param leftOut       with {@code feedback=apply}: answers rated down without a correction, left out
 * @param next          the {@code before} of the next page, older than this one; absent when this page is the last
 */
@JsonInclude(JsonInclude.Include.NON_NULL)
public record TrafficPage(String version, List<Sample> samples, int undecryptable, Integer corrected,
                          Integer leftOut, Instant next) {

    /**
     * One answered request: {@code record} as {@link TrafficRecord} describes it; {@code feedback} its latest rating,
     * absent when it has none.
     */
    @JsonInclude(JsonInclude.Include.NON_NULL)
    public record Sample(String responseId, String model, Instant createdAt, JsonNode record, Rating feedback) {
    }

    /** A client's rating of the answer (1 or -1) and the correction it sent, null when none. */
    public record Rating(int rating, String correction) {
        boolean isDown() {
            return rating < 0;
        }
    }
}
