package dev.anvil.gateway.admin;

import dev.anvil.gateway.rollout.RolloutView;
import dev.anvil.gateway.rollout.Rollouts;
import dev.anvil.gateway.traffic.TrafficPage;
import dev.anvil.gateway.traffic.TrafficSamples;
import dev.anvil.gateway.version.VersionRequest;
import dev.anvil.gateway.version.VersionView;
import dev.anvil.gateway.version.Versions;
import dev.anvil.service.http.RefusedException;
import dev.anvil.service.http.SafeText;
import jakarta.ws.rs.Consumes;
import jakarta.ws.rs.DELETE;
import jakarta.ws.rs.GET;
import jakarta.ws.rs.POST;
import jakarta.ws.rs.Path;
import jakarta.ws.rs.PathParam;
import jakarta.ws.rs.Produces;
import jakarta.ws.rs.QueryParam;
import jakarta.ws.rs.core.Context;
import jakarta.ws.rs.core.HttpHeaders;
import jakarta.ws.rs.core.MediaType;
import jakarta.ws.rs.core.Response;
import jakarta.ws.rs.core.StreamingOutput;
import jakarta.ws.rs.core.UriBuilder;

import java.util.List;

/**
 * {@code /admin/versions}: register (201; 200 when the job's version already exists), list, show, delete; a version's
 * rollout and its kept traffic.
 */
@Path("/admin/versions")
@Produces(MediaType.APPLICATION_JSON)
public class VersionsResource {
    static final String NDJSON = "application/x-ndjson";
    private static final MediaType NDJSON_TYPE = MediaType.valueOf(NDJSON);
    /** The JSON Lines form's {@code next}: absent on the last page. */
    static final String NEXT_BEFORE = "x-anvil-next-before";

    private final Versions versions;
    private final Rollouts rollouts;
    private final TrafficSamples traffic;

    public VersionsResource(Versions versions, Rollouts rollouts, TrafficSamples traffic) {
        this.versions = versions;
        this.rollouts = rollouts;
        this.traffic = traffic;
    }

    @GET
    public List<VersionView> list() {
        return versions.list();
    }

    @POST
    @Consumes(MediaType.APPLICATION_JSON)
    public Response register(VersionRequest request) {
        Versions.Registered registered = versions.register(AdminProblems.required(request));
        if (!registered.created()) return Response.ok(registered.version()).build();
        return Response.created(UriBuilder.fromPath("/admin/versions/{id}").build(registered.version().id()))
                .entity(registered.version()).build();
    }

    @GET
    @Path("/{id}")
    public VersionView get(@PathParam("id") String id) {
        return versions.get(id);
    }

    @DELETE
    @Path("/{id}")
    public void delete(@PathParam("id") String id) {
        versions.delete(id);
    }

    /** The version's way into its route after its evaluation: rejected, canary with its checks, promoted, ... */
    @GET
    @Path("/{id}/rollout")
    public RolloutView rollout(@PathParam("id") String id) {
        return rollouts.of(id).orElseThrow(() -> RefusedException.notFound("version '" + SafeText.of(id)
                + "' has had no evaluation verdict"));
    }

    /**
     * The version's kept traffic for retraining, newest first: a {@link TrafficPage} as JSON, or with
     * {@code Accept: application/x-ndjson} the records alone, one a line, streamed as they are decrypted (what a
     * dataset upload takes), the next page's {@code before} in a header. One method for both, so that a client
     * without an Accept header gets JSON.
     */
    @GET
    @Path("/{id}/traffic")
    @Produces({MediaType.APPLICATION_JSON, NDJSON})
    public Response traffic(@PathParam("id") String id, @QueryParam("limit") String limit,
                            @QueryParam("since") String since, @QueryParam("before") String before,
                            @QueryParam("feedback") String feedback, @Context HttpHeaders headers) {
        TrafficSamples.Query query = traffic.query(id, limit, since, before, feedback);
        if (wantsNdjson(headers)) {
            return Response.ok((StreamingOutput) out -> traffic.writeRecords(query, out), NDJSON)
                    .header(NEXT_BEFORE, query.next()).build();
        }
        return Response.ok(traffic.page(query), MediaType.APPLICATION_JSON).build();
    }

    /** The client's first choice names JSON Lines itself; a wildcard first gets JSON. */
    private static boolean wantsNdjson(HttpHeaders headers) {
        MediaType first = headers.getAcceptableMediaTypes().get(0);
        return !first.isWildcardSubtype() && first.isCompatible(NDJSON_TYPE);
    }
}
