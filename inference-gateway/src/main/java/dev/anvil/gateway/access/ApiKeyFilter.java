package dev.anvil.gateway.access;

import dev.anvil.gateway.GatewayPaths;
import dev.anvil.gateway.openai.OpenAiError;
import dev.anvil.gateway.openai.OpenAiErrors;
import io.smallrye.mutiny.Uni;
import jakarta.ws.rs.container.ContainerRequestContext;
import jakarta.ws.rs.core.HttpHeaders;
import jakarta.ws.rs.core.Response;
import org.jboss.resteasy.reactive.server.ServerRequestFilter;

/**
 * Every {@code /v1} request presents {@code Authorization: Bearer <key>}, a key made by the admin API and not
 * revoked; otherwise 401 in OpenAI's shape ({@code invalid_api_key}), before the path is even matched, so that an
 * unauthenticated caller learns nothing about the API. A service key (one with scopes) is refused with 403
 * {@code permission_denied}: it exists to read traffic, and a leaked one must not spend the models. The key is never
 * logged.
 */
public class ApiKeyFilter {
    private final ApiKeys keys;

    public ApiKeyFilter(ApiKeys keys) {
        this.keys = keys;
    }

    @ServerRequestFilter(preMatching = true)
    public Uni<Response> requireKey(ContainerRequestContext request) {
        if (!GatewayPaths.isApi(request.getUriInfo().getPath())) return Uni.createFrom().nullItem();
        String key = Credentials.bearerToken(request.getHeaderString(HttpHeaders.AUTHORIZATION));
        if (key == null) {
            return Uni.createFrom().item(unauthorized("You didn't provide an API key. You need to provide your API key "
                    + "in an Authorization header using Bearer auth (i.e. Authorization: Bearer YOUR_KEY)."));
        }
        return keys.callerOffLoop(key).map(caller -> {
            if (caller.isEmpty()) {
                return unauthorized("Incorrect API key provided. Ask the gateway's operator for a key (POST /admin/keys).");
            }
            return caller.get().isService() ? OpenAiErrors.response(403, OpenAiError.of("This is a service key (scopes: "
                    + caller.get().scopeNames() + "); it may not call /v1. Use a key without scopes.",
                    "invalid_request_error", null, "permission_denied")) : null;
        });
    }

    private static Response unauthorized(String message) {
        return Response.fromResponse(OpenAiErrors.response(401, OpenAiError.of(message, "invalid_request_error", null,
                "invalid_api_key"))).header(HttpHeaders.WWW_AUTHENTICATE, "Bearer").build();
    }
}
