package dev.anvil.dataset.api;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.JsonMappingException;
import dev.anvil.dataset.InvalidInputException;
import dev.anvil.dataset.UnknownResourceException;
import dev.anvil.dataset.clean.StrictModeViolationException;
import dev.anvil.dataset.ingest.InputLimitExceededException;
import jakarta.ws.rs.WebApplicationException;
import jakarta.ws.rs.core.HttpHeaders;
import jakarta.ws.rs.core.Response;
import jakarta.ws.rs.core.UriInfo;
import org.jboss.logging.Logger;
import org.jboss.resteasy.reactive.server.ServerExceptionMapper;

import java.util.UUID;

/** Every error of the API as an RFC 9457 problem detail. */
public class ProblemMappers {

    private static final Logger LOG = Logger.getLogger(ProblemMappers.class);

    @ServerExceptionMapper
    public Response invalidInput(InvalidInputException e, UriInfo uri) {
        return problem("invalid-request", "Invalid request", 400, e.getMessage(), uri);
    }

    @ServerExceptionMapper
    public Response strictMode(StrictModeViolationException e, UriInfo uri) {
        return problem("strict-mode-violation", "Strict mode violation", 400, e.getMessage(), uri);
    }

    @ServerExceptionMapper
    public Response limitExceeded(InputLimitExceededException e, UriInfo uri) {
        if (BoundedInputStream.MAX_BODY_BYTES.equals(e.limit())) {
            return problem("body-too-large", "Body too large", 413, e.getMessage(), uri);
        }
        return problem("limit-exceeded", "Input limit exceeded", 400, e.getMessage(), uri);
    }

    @ServerExceptionMapper
    public Response unsupportedUpload(UnsupportedUploadException e, UriInfo uri) {
        return problem("unsupported-media-type", "Unsupported media type", 415, e.getMessage(), uri);
    }

    @ServerExceptionMapper
    public Response unknown(UnknownResourceException e, UriInfo uri) {
        return problem("not-found", "Not found", 404, e.getMessage(), uri);
    }

    @ServerExceptionMapper
    public Response badJson(JsonProcessingException e, UriInfo uri) {
        String at = e instanceof JsonMappingException mapping && !mapping.getPath().isEmpty()
                ? " at " + mapping.getPathReference() : "";
        String where = e.getLocation() == null ? ""
                : " (line " + e.getLocation().getLineNr() + ", column " + e.getLocation().getColumnNr() + ")";
        return problem("invalid-request", "Invalid request", 400,
                "request body: " + e.getOriginalMessage() + at + where, uri);
    }

    /** Errors of JAX-RS itself: unknown route (404), wrong method (405), unsupported media type (415), ... */
    @ServerExceptionMapper
    public Response web(WebApplicationException e, UriInfo uri, HttpHeaders headers) {
        if (e.getCause() instanceof JsonProcessingException unreadableBody) {
            return badJson(unreadableBody, uri);
        }
        int status = e.getResponse().getStatus();
        Response.Status known = Response.Status.fromStatusCode(status);
        String title = known == null ? "Error" : known.getReasonPhrase();
        String detail = status == 415
                ? "unsupported media type '" + headers.getHeaderString(HttpHeaders.CONTENT_TYPE) + "'; use "
                        + UploadMediaTypes.SUPPORTED
                : e.getMessage();
        return problem(title.toLowerCase().replace(' ', '-'), title, status, detail, uri);
    }

    @ServerExceptionMapper(priority = jakarta.ws.rs.Priorities.USER + 1000)
    public Response unexpected(Exception e, UriInfo uri) {
        String incident = UUID.randomUUID().toString();
        LOG.errorf(e, "incident %s: %s", incident, uri.getPath());
        return problem("internal-error", "Internal error", 500,
                "the server failed; incident " + incident + " is in its log", uri);
    }

    private static Response problem(String slug, String title, int status, String detail, UriInfo uri) {
        return Response.status(status)
                .type(ProblemDetail.MEDIA_TYPE)
                .entity(ProblemDetail.of(slug, title, status, detail, uri == null ? null : uri.getPath()))
                .build();
    }
}
