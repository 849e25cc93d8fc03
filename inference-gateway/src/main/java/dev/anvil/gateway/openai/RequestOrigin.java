package dev.anvil.gateway.openai;

import jakarta.ws.rs.HeaderParam;
import jakarta.ws.rs.core.HttpHeaders;

import java.util.Locale;

/**
 * The headers of a {@code /v1} request that decide which version answers it and how: its key (the caller, whose
 * requests stick to one variant of a route), an admin key's own choice of version, and whether the response cache may
 * answer it.
 */
public class RequestOrigin {
    /** Asks for one version of the route (admin keys only); the answer names its version in the same header. */
    static final String FORCED_VERSION_HEADER = Served.VERSION_HEADER;

    @HeaderParam(HttpHeaders.AUTHORIZATION)
    String authorization;

    @HeaderParam(FORCED_VERSION_HEADER)
    String forcedVersion;

    /** {@code no-cache} or {@code no-store}: neither answered from the response cache nor kept in it. */
    @HeaderParam(HttpHeaders.CACHE_CONTROL)
    String cacheControl;

    boolean allowsCache() {
        if (cacheControl == null) return true;
        String directives = cacheControl.toLowerCase(Locale.ROOT);
        return !directives.contains("no-cache") && !directives.contains("no-store");
    }
}
