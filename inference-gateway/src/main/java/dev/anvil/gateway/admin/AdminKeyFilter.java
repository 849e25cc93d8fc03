package dev.anvil.gateway.admin;

import dev.anvil.gateway.GatewayConfig;
import dev.anvil.gateway.GatewayPaths;
import dev.anvil.gateway.access.Credentials;
import dev.anvil.service.http.ProblemDetail;
import jakarta.ws.rs.container.ContainerRequestContext;
import jakarta.ws.rs.core.HttpHeaders;
import jakarta.ws.rs.core.Response;
import org.jboss.resteasy.reactive.server.ServerRequestFilter;

import java.security.MessageDigest;
import java.util.Optional;

/**
 * {@code /admin} answers only to {@code Authorization: Bearer <anvil.gateway.admin-key>}: 401 otherwise, and 503
 * for every call while no admin key is configured (there is no default, so an unconfigured gateway is never open).
 * The keys are compared as SHA-256 digests in constant time, so neither content nor length leaks through timing.
 */
public class AdminKeyFilter {
    private final Optional<byte[]> adminKeyDigest;

    public AdminKeyFilter(GatewayConfig config) {
        this.adminKeyDigest = config.adminKey().filter(k -> !k.isBlank()).map(Credentials::sha256);
    }

    @ServerRequestFilter(preMatching = true)
    public Response requireAdminKey(ContainerRequestContext request) {
        if (!GatewayPaths.isAdmin(request.getUriInfo().getPath())) return null;
        if (adminKeyDigest.isEmpty()) {
            return ProblemDetail.response("admin-disabled", "Admin API disabled", 503,
                    "admin API disabled: set anvil.gateway.admin-key (environment ANVIL_GATEWAY_ADMIN_KEY)",
                    request.getUriInfo());
        }
        String token = Credentials.bearerToken(request.getHeaderString(HttpHeaders.AUTHORIZATION));
        if (token != null && MessageDigest.isEqual(Credentials.sha256(token), adminKeyDigest.get())) return null;
        return Response.fromResponse(ProblemDetail.response("unauthorized", "Unauthorized", 401,
                        "the admin API needs the header Authorization: Bearer <anvil.gateway.admin-key>",
                        request.getUriInfo()))
                .header(HttpHeaders.WWW_AUTHENTICATE, "Bearer").build();
    }
}
