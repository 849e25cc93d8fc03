package dev.anvil.eval.evaluation;

import io.smallrye.common.annotation.Blocking;
import io.smallrye.mutiny.Multi;
import jakarta.ws.rs.Consumes;
import jakarta.ws.rs.DefaultValue;
import jakarta.ws.rs.GET;
import jakarta.ws.rs.POST;
import jakarta.ws.rs.Path;
import jakarta.ws.rs.PathParam;
import jakarta.ws.rs.Produces;
import jakarta.ws.rs.QueryParam;
import jakarta.ws.rs.core.Context;
import jakarta.ws.rs.core.MediaType;
import jakarta.ws.rs.core.Response;
import jakarta.ws.rs.core.UriInfo;
import jakarta.ws.rs.sse.OutboundSseEvent;
import jakarta.ws.rs.sse.Sse;

import java.util.List;

/**
 * {@code /evaluations}: submit an ad-hoc evaluation, list them, read one with its per-example results, follow one
 * as server-sent events.
 */
@Path("/evaluations")
@Produces(MediaType.APPLICATION_JSON)
public class EvaluationResource {

    private final Evaluations evaluations;
    private final EvaluationEvents events;

    public EvaluationResource(Evaluations evaluations, EvaluationEvents events) {
        this.evaluations = evaluations;
        this.events = events;
    }

    /** 202: queued; follow {@code Location} until its status is completed or failed. */
    @POST
    @Consumes(MediaType.APPLICATION_JSON)
    public Response submit(EvaluationRequest request, UriInfo uri) {
        EvaluationView queued = evaluations.submit(request);
        return Response.accepted(queued).location(uri.getAbsolutePathBuilder().path(queued.id()).build()).build();
    }

    /** The newest first; {@code modelVersion} narrows to the evaluations of one training job's result. */
    @GET
    public List<EvaluationView> list(@QueryParam("limit") @DefaultValue("50") int limit,
                                     @QueryParam("modelVersion") String modelVersion) {
        return evaluations.list(limit, modelVersion);
    }

    @GET
    @Path("/{id}")
    public EvaluationView get(@PathParam("id") String id) {
        return evaluations.get(id);
    }

    /** Progress as server-sent events until the evaluation is finished (see {@link EvaluationEvents}). */
    @GET
    @Path("/{id}/events")
    @Produces(MediaType.SERVER_SENT_EVENTS)
    @Blocking // opening reads the database (404 before the stream starts)
    public Multi<OutboundSseEvent> events(@PathParam("id") String id, @Context Sse sse) {
        return events.open(id, sse);
    }
}
