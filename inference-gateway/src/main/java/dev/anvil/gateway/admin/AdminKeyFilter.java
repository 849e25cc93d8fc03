package dev.anvil.gateway.admin;

import dev.anvil.gateway.GatewayConfig;
import dev.anvil.service.http.ProblemDetail;
import jakarta.ws.rs.container.ContainerRequestContext;
import jakarta.ws.rs.core.HttpHeaders;
import jakarta.ws.rs.core.Response;
import org.jboss.resteasy.reactive.server.ServerRequestFilter;

import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.Optional;

/**
 * {@code /admin} answers only to {@code Authorization: Bearer <anvil.gateway.admin-key>}: 401 otherwise, and 503
 * for every call while no admin key is configured (there is no default, so an unconfigured gateway is never open).
 * The keys are compared as SHA-256 digests in constant time, so neither content nor length leaks through timing.
 */
public class AdminKeyFilter {
    static final String PREFIX = "/admin";
    private static final String BEARER = "Bearer ";

    private final Optional<byte[]> adminKeyDigest;

    public AdminKeyFilter(GatewayConfig config) {
        this.adminKeyDigest = config.adminKey().filter(k -> !k.isBlank()).map(AdminKeyFilter::sha256);
    }

    @ServerRequestFilter(preMatching = true)
    public Response requireAdminKey(ContainerRequestContext request) {
        String path = request.getUriInfo().getPath();
        if (!path.equals(PREFIX) && !path.startsWith(PREFIX + "/")) return null;
        if (adminKeyDigest.isEmpty()) {
            return ProblemDetail.response("admin-disabled", "Admin API disabled", 503,
                    "admin API disabled: set anvil.gateway.admin-key (environment ANVIL_GATEWAY_ADMIN_KEY)",
                    request.getUriInfo());
        }
        String authorization = request.getHeaderString(HttpHeaders.AUTHORIZATION);
        boolean bearer = authorization != null && authorization.regionMatches(true, 0, BEARER, 0, BEARER.length());
        if (bearer && MessageDigest.isEqual(sha256(authorization.substring(BEARER.length()).trim()),
                adminKeyDigest.get())) {
            return null;
        }
        return Response.fromResponse(ProblemDetail.response("unauthorized", "Unauthorized", 401,
                        "the admin API needs the header Authorization: Bearer <anvil.gateway.admin-key>",
                        request.getUriInfo()))
                .header(HttpHeaders.WWW_AUTHENTICATE, "Bearer").build();
    }

    private static byte[] sha256(String s) {
        try {
            return MessageDigest.getInstance("SHA-256").digest(s.getBytes(StandardCharsets.UTF_8));
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException("SHA-256 is missing from this JVM", e);
        }
    }
}
