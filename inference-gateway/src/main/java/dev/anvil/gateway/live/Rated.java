package dev.anvil.gateway.live;

/**
 * A rating stored (CDI event, fired after its transaction): an answer of {@code versionId} rated {@code rating}
 * (1 or -1), so that what watches a version's ratings need not be called from here.
 */
public record Rated(String responseId, String versionId, int rating) {
}
