package dev.anvil.gateway.admin;

import dev.anvil.gateway.GatewayConfig;
import dev.anvil.gateway.GatewayPaths;
import dev.anvil.gateway.access.ApiKeys;
import dev.anvil.gateway.access.Credentials;
import dev.anvil.service.http.ProblemDetail;
import io.smallrye.mutiny.Uni;
import jakarta.ws.rs.container.ContainerRequestContext;
import jakarta.ws.rs.core.HttpHeaders;
import jakarta.ws.rs.core.Response;
import org.jboss.resteasy.reactive.server.ServerRequestFilter;

import java.security.MessageDigest;
import java.util.Optional;

/**
 * {@code /admin} answers to {@code Authorization: Bearer <anvil.gateway.admin-key>}, and to a service key (an API key
 * with scopes) for what its scopes allow (403 for the rest); 401 otherwise, and 503 for every call while no admin key
 * is configured (there is no default, so an unconfigured gateway is never open). The admin keys are compared as
 * SHA-256 digests in constant time, so neither content nor length leaks through timing.
 */
public class AdminKeyFilter {
    private final Optional<byte[]> adminKeyDigest;
    private final ApiKeys keys;

    public AdminKeyFilter(GatewayConfig config, ApiKeys keys) {
        this.adminKeyDigest = config.adminKey().filter(k -> !k.isBlank()).map(Credentials::sha256);
        this.keys = keys;
    }

    @ServerRequestFilter(preMatching = true)
    public Uni<Response> requireAdminKey(ContainerRequestContext request) {
        if (!GatewayPaths.isAdmin(request.getUriInfo().getPath())) return Uni.createFrom().nullItem();
        if (adminKeyDigest.isEmpty()) {
            return Uni.createFrom().item(ProblemDetail.response("admin-disabled", "Admin API disabled", 503,
                    "admin API disabled: set anvil.gateway.admin-key (environment ANVIL_GATEWAY_ADMIN_KEY)",
                    request.getUriInfo()));
        }
        String token = Credentials.bearerToken(request.getHeaderString(HttpHeaders.AUTHORIZATION));
        if (token != null && MessageDigest.isEqual(Credentials.sha256(token), adminKeyDigest.get())) {
            return Uni.createFrom().nullItem();
        }
        if (!ApiKeys.isWellFormed(token)) return Uni.createFrom().item(unauthorized(request));
        return keys.callerOffLoop(token).map(caller -> {
            if (caller.isEmpty() || !caller.get().isService()) return unauthorized(request);
            if (caller.get().permits(request.getMethod(), request.getUriInfo().getPath())) return null;
            return ProblemDetail.response("permission-denied", "Forbidden", 403, "this service key (scopes: "
                    + caller.get().scopeNames() + ") may not " + request.getMethod() + " this path (docs/gateway-api.md, "
                    + "\"Admin API\")", request.getUriInfo());
        });
    }

    private static Response unauthorized(ContainerRequestContext request) {
        return Response.fromResponse(ProblemDetail.response("unauthorized", "Unauthorized", 401,
                        "the admin API needs the header Authorization: Bearer <anvil.gateway.admin-key>, or a service "
                        + "key whose scopes allow the call", request.getUriInfo()))
                .header(HttpHeaders.WWW_AUTHENTICATE, "Bearer").build();
    }
}
