package dev.anvil.gateway.openai;

import jakarta.ws.rs.HeaderParam;
import jakarta.ws.rs.core.HttpHeaders;

/**
 * The headers of a {@code /v1} request that decide which version answers it: its key (the caller, whose requests
 * stick to one variant of a route) and an admin key's own choice of version.
 */
public class RequestOrigin {
    /** Asks for one version of the route (admin keys only); the answer names its version in the same header. */
    static final String FORCED_VERSION_HEADER = Served.VERSION_HEADER;

    @HeaderParam(HttpHeaders.AUTHORIZATION)
    String authorization;

    @HeaderParam(FORCED_VERSION_HEADER)
    String forcedVersion;
}
