package dev.anvil.service.http;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.exc.MismatchedInputException;
import jakarta.ws.rs.Priorities;
import jakarta.ws.rs.WebApplicationException;
import jakarta.ws.rs.core.Response;
import jakarta.ws.rs.core.UriInfo;
import org.jboss.logging.Logger;
import org.jboss.resteasy.reactive.server.ServerExceptionMapper;

import java.util.Locale;
import java.util.UUID;

/**
 * The guard every service shares: whatever exception reaches the HTTP layer becomes a problem detail. Client faults
 * that the framework raises (unknown route, wrong method, unreadable JSON) keep their 4xx status and say what is
 * wrong; anything else is a 500 whose detail is an incident id to find in the log, never the exception's text.
 * A service adds mappers for its own exception types; the most specific exception type wins.
 */
public class ProblemGuard {
    private static final Logger LOG = Logger.getLogger(ProblemGuard.class);

    @ServerExceptionMapper
    public Response refused(RefusedException e, UriInfo uri) {
        return ProblemDetail.response(e.slug(), e.title(), e.status(), e.getMessage(), uri);
    }

    @ServerExceptionMapper
    public Response unreadableJson(JsonProcessingException e, UriInfo uri) {
        return ProblemDetail.response("invalid-request", "Invalid request", 400,
                "request body: " + JsonErrors.describe(e), uri);
    }

    /**
     * A body of the wrong JSON type that the framework itself read: Quarkus REST's own mapper for this type would
     * win over {@link #unreadableJson} (the most specific type wins) and answer 400 with an empty body.
     */
    @ServerExceptionMapper
    public Response wrongJsonType(MismatchedInputException e, UriInfo uri) {
        return unreadableJson(e, uri);
    }

    /** Errors of JAX-RS itself: unknown route (404), wrong method (405), unsupported media type (415), ... */
    @ServerExceptionMapper
    public Response web(WebApplicationException e, UriInfo uri) {
        if (e.getCause() instanceof JsonProcessingException unreadable) {
            return unreadableJson(unreadable, uri);
        }
        int status = e.getResponse().getStatus();
        if (status >= 500) return incident(e, uri);
        Response.Status known = Response.Status.fromStatusCode(status);
        String title = known == null ? "Error" : known.getReasonPhrase();
        return ProblemDetail.response(title.toLowerCase(Locale.ROOT).replace(' ', '-'), title, status,
                e.getMessage(), uri);
    }

    @ServerExceptionMapper(priority = Priorities.USER + 1000)
    public Response unexpected(Throwable e, UriInfo uri) {
        return incident(e, uri);
    }

    /** A 500 for a server fault: the detail is an incident id, the exception goes to the log under that id. */
    public static Response incident(Throwable e, UriInfo uri) {
        String incident = UUID.randomUUID().toString();
        LOG.errorf(e, "incident %s: %s", incident, uri == null ? null : SafeText.of(uri.getPath()));
        return ProblemDetail.response("internal-error", "Internal error", 500,
                "the server failed; incident " + incident + " is in its log", uri);
    }
}
