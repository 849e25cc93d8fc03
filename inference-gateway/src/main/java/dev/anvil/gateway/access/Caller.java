package dev.anvil.gateway.access;

/**
 * Who sent a {@code /v1} request: the id of its API key (never the key), whether that key is an admin key, which may
 * pick a route's variant itself, and the key's own rate limits.
 */
public record Caller(String keyId, boolean admin, KeyLimits limits) {
}
