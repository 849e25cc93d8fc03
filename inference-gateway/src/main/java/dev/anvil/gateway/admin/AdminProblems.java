package dev.anvil.gateway.admin;

import dev.anvil.gateway.RefusedException;
import dev.anvil.service.http.ProblemDetail;
import jakarta.ws.rs.core.Response;
import jakarta.ws.rs.core.UriInfo;
import org.jboss.resteasy.reactive.server.ServerExceptionMapper;

/** The admin API's refusals as RFC 9457 problem details; service-kit's guard answers the rest. */
public class AdminProblems {

    @ServerExceptionMapper
    public Response refused(RefusedException e, UriInfo uri) {
        return ProblemDetail.response(e.slug(), e.title(), e.status(), e.getMessage(), uri);
    }

    /** A POST or PUT without a body: Jackson hands the resource null. */
    static <T> T required(T body) {
        if (body == null) throw RefusedException.invalid("a JSON object body is required");
        return body;
    }
}
