package dev.anvil.service.http;

import jakarta.ws.rs.container.ContainerRequestContext;
import jakarta.ws.rs.core.HttpHeaders;
import jakarta.ws.rs.core.MediaType;
import jakarta.ws.rs.core.Response;
import org.jboss.resteasy.reactive.server.ServerRequestFilter;

/**
 * Refuses a {@code Content-Type} header that is not a media type at all, before routing: the router parses it to
 * choose a resource method, and its failure would otherwise be answered as a server error. A filter that returns
 * a response ends the request with it; {@code null} lets it go on.
 */
public class ContentTypeGuard {

    @ServerRequestFilter(preMatching = true)
    public Response requireParsableContentType(ContainerRequestContext request) {
        String header = request.getHeaderString(HttpHeaders.CONTENT_TYPE);
        if (header == null) return null;
        try {
            MediaType.valueOf(header);
            return null;
        } catch (IllegalArgumentException malformed) {
            return ProblemDetail.response("invalid-request", "Invalid request", 400,
                    "the Content-Type header '" + SafeText.of(header)
                            + "' is not a media type (type/subtype, e.g. application/json)",
                    request.getUriInfo());
        }
    }
}
