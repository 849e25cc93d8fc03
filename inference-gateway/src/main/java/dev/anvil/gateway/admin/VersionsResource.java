package dev.anvil.gateway.admin;

import dev.anvil.gateway.rollout.RolloutView;
import dev.anvil.gateway.rollout.Rollouts;
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
import jakarta.ws.rs.core.MediaType;
import jakarta.ws.rs.core.Response;
import jakarta.ws.rs.core.UriBuilder;

import java.util.List;

/** {@code /admin/versions}: register (201; 200 when the job's version already exists), list, show, delete. */
@Path("/admin/versions")
@Produces(MediaType.APPLICATION_JSON)
public class VersionsResource {
    private final Versions versions;
    private final Rollouts rollouts;

    public VersionsResource(Versions versions, Rollouts rollouts) {
        this.versions = versions;
        this.rollouts = rollouts;
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
}
