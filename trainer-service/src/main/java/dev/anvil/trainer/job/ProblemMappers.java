package dev.anvil.trainer.job;

import dev.anvil.service.http.ProblemDetail;
import jakarta.ws.rs.core.Response;
import jakarta.ws.rs.core.UriInfo;
import org.jboss.resteasy.reactive.server.ServerExceptionMapper;

/**
 * The jobs API's own errors as RFC 9457 problem details; the shared {@code ProblemGuard} answers the rest
 * (framework errors, unreadable JSON, and the 500 with an incident id).
 */
public class ProblemMappers {

    @ServerExceptionMapper
    public Response invalid(InvalidJobException e, UriInfo uri) {
        return ProblemDetail.response("invalid-training-request", "Invalid training request", 400, e.getMessage(),
                uri);
    }
}
