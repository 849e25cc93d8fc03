package dev.anvil.dataset.api;

import dev.anvil.dataset.InvalidInputException;
import dev.anvil.dataset.UnknownResourceException;
import dev.anvil.dataset.clean.StrictModeViolationException;
import dev.anvil.dataset.ingest.InputLimitExceededException;
import dev.anvil.service.http.ProblemDetail;
import dev.anvil.service.http.ProblemGuard;
import dev.anvil.service.http.SafeText;
import jakarta.ws.rs.NotSupportedException;
import jakarta.ws.rs.core.HttpHeaders;
import jakarta.ws.rs.core.MediaType;
import jakarta.ws.rs.core.Response;
import jakarta.ws.rs.core.UriInfo;
import org.jboss.resteasy.reactive.server.ServerExceptionMapper;

import java.io.IOException;
import java.util.Locale;

/**
 * The dataset API's own errors as RFC 9457 problem details; the shared {@code ProblemGuard} answers the rest
 * (framework errors, unreadable JSON, and the 500 with an incident id).
 */
public class ProblemMappers {

    @ServerExceptionMapper
    public Response invalidInput(InvalidInputException e, UriInfo uri) {
        return ProblemDetail.response("invalid-request", "Invalid request", 400, e.getMessage(), uri);
    }

    @ServerExceptionMapper
    public Response strictMode(StrictModeViolationException e, UriInfo uri) {
        return ProblemDetail.response("strict-mode-violation", "Strict mode violation", 400, e.getMessage(), uri);
    }

    @ServerExceptionMapper
    public Response limitExceeded(InputLimitExceededException e, UriInfo uri) {
        if (BoundedInputStream.MAX_BODY_BYTES.equals(e.limit())) {
            return ProblemDetail.response("body-too-large", "Body too large", 413, e.getMessage(), uri);
        }
        return ProblemDetail.response("limit-exceeded", "Input limit exceeded", 400, e.getMessage(), uri);
    }

    @ServerExceptionMapper
    public Response unsupportedUpload(UnsupportedUploadException e, UriInfo uri) {
        return ProblemDetail.response("unsupported-media-type", "Unsupported media type", 415, e.getMessage(), uri);
    }

    /** A Content-Type no upload route consumes: the answer lists the ones that are. */
    @ServerExceptionMapper
    public Response unsupportedMediaType(NotSupportedException e, UriInfo uri, HttpHeaders headers) {
        return ProblemDetail.response("unsupported-media-type", "Unsupported media type", 415,
                "unsupported media type '" + SafeText.of(headers.getHeaderString(HttpHeaders.CONTENT_TYPE))
                        + "'; use " + UploadMediaTypes.SUPPORTED, uri);
    }

    /**
     * The framework's multipart parser reports a body that ends before its closing boundary as a plain I/O error,
     * before the resource method runs: for a multipart request that is the client's fault.
     */
    @ServerExceptionMapper
    public Response unreadableBody(IOException e, UriInfo uri, HttpHeaders headers) {
        String type = headers.getHeaderString(HttpHeaders.CONTENT_TYPE);
        if (type == null || !type.toLowerCase(Locale.ROOT).startsWith(MediaType.MULTIPART_FORM_DATA)) {
            return ProblemGuard.incident(e, uri);
        }
        return ProblemDetail.response("invalid-request", "Invalid request", 400,
                "multipart body: it cannot be read to its closing boundary (" + SafeText.of(e.getMessage()) + ")", uri);
    }

    @ServerExceptionMapper
    public Response unknown(UnknownResourceException e, UriInfo uri) {
        return ProblemDetail.response("not-found", "Not found", 404, e.getMessage(), uri);
    }
}
