package dev.anvil.gateway.access;

import java.util.Set;

/**
 * Who sent a request with an API key: the id of its key (never the key), whether that key is an admin key, which may
 * pick a route's variant itself, the key's own rate limits, and its scopes: a key with scopes is a service key, for
 * those parts of {@code /admin} only.
 */
public record Caller(String keyId, boolean admin, KeyLimits limits, Set<KeyScope> scopes) {
    public Caller {
        scopes = Set.copyOf(scopes);
    }

    /** A /v1 key: no scopes. */
    public Caller(String keyId, boolean admin, KeyLimits limits) {
        this(keyId, admin, limits, Set.of());
    }

    /** A service key: its scopes say what it may call, and {@code /v1} is not among it. */
    public boolean isService() {
        return !scopes.isEmpty();
    }

    /** Whether one of the key's scopes allows {@code method} on {@code path}. */
    public boolean permits(String method, String path) {
        return scopes.stream().anyMatch(s -> s.permits(method, path));
    }

    /** The scopes' names, for messages. */
    public String scopeNames() {
        return String.join(", ", KeyScope.names(scopes));
    }
}
