package dev.anvil.eval.evaluation;

import jakarta.ws.rs.Consumes;
import jakarta.ws.rs.DefaultValue;
import jakarta.ws.rs.GET;
import jakarta.ws.rs.POST;
import jakarta.ws.rs.Path;
import jakarta.ws.rs.PathParam;
import jakarta.ws.rs.Produces;
import jakarta.ws.rs.QueryParam;
import jakarta.ws.rs.core.MediaType;
import jakarta.ws.rs.core.Response;
import jakarta.ws.rs.core.UriInfo;

import java.util.List;

/** {@code /evaluations}: submit an ad-hoc evaluation, list them, read one with its per-example results. */
@Path("/evaluations")
@Produces(MediaType.APPLICATION_JSON)
public class EvaluationResource {

    private final Evaluations evaluations;

    public EvaluationResource(Evaluations evaluations) {
        this.evaluations = evaluations;
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
}
