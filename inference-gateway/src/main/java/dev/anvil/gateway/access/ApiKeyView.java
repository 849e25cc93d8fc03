package dev.anvil.gateway.access;

import com.fasterxml.jackson.annotation.JsonInclude;

import java.time.Instant;
import java.util.List;

/**
 * A key as the admin API shows it. {@code key} is there only in the answer that created it, the one time it is
 * shown; a listing has the prefix alone. {@code scopes} is empty for a /v1 key.
 */
@JsonInclude(JsonInclude.Include.NON_NULL)
public record ApiKeyView(String id, String name, String prefix, boolean admin, List<String> scopes, KeyLimits limits,
                         Instant createdAt, Instant revokedAt, String key) {
    static ApiKeyView of(ApiKey k) {
        return new ApiKeyView(k.id, k.name, k.prefix, k.admin, KeyScope.names(KeyScope.ofColumn(k.scopes)),
                KeyLimits.of(k), k.createdAt, k.revokedAt, null);
    }

    ApiKeyView withKey(String key) {
        return new ApiKeyView(id, name, prefix, admin, scopes, limits, createdAt, revokedAt, key);
    }
}
