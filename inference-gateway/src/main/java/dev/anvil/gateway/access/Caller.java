package dev.anvil.gateway.access;

/**
 * Who sent a {@code /v1} request: the id of its API key (never the key), and whether that key is an admin key,
 * which may pick a route's variant itself.
 */
public record Caller(String keyId, boolean admin) {
}
