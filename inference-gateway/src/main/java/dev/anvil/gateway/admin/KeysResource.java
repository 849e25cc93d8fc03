package dev.anvil.gateway.admin;

import dev.anvil.gateway.access.ApiKeyView;
import dev.anvil.gateway.access.ApiKeys;
import dev.anvil.gateway.access.KeyLimits;
import jakarta.ws.rs.Consumes;
import jakarta.ws.rs.DELETE;
import jakarta.ws.rs.GET;
import jakarta.ws.rs.POST;
import jakarta.ws.rs.PUT;
import jakarta.ws.rs.Path;
import jakarta.ws.rs.PathParam;
import jakarta.ws.rs.Produces;
import jakarta.ws.rs.core.MediaType;
import jakarta.ws.rs.core.Response;

import java.util.List;

/**
 * {@code /admin/keys}: create (201, the key in the answer, the only time it is shown), list (no key, no hash),
 * set its limits ({@code PUT /{id}/limits}), revoke ({@code DELETE}: refused at once on this replica).
 */
@Path("/admin/keys")
@Produces(MediaType.APPLICATION_JSON)
public class KeysResource {
    /**
     * The body of POST /admin/keys; an {@code admin} key may force a route's variant (for testing a canary);
     * {@code limits} replace the configured defaults; {@code scopes} make a service key ({@code traffic:read}).
     */
    public record KeyBody(String name, Boolean admin, KeyLimits limits, List<String> scopes) {
    }

    private final ApiKeys keys;

    public KeysResource(ApiKeys keys) {
        this.keys = keys;
    }

    @POST
    @Consumes(MediaType.APPLICATION_JSON)
    public Response create(KeyBody body) {
        return Response.status(201).entity(keys.create(AdminProblems.required(body).name(),
                Boolean.TRUE.equals(body.admin()), body.limits() == null ? KeyLimits.DEFAULTS : body.limits(),
                body.scopes()))
                .header("Cache-Control", "no-store").build();
    }

    @GET
    public List<ApiKeyView> list() {
        return keys.list();
    }

    /** Replaces the key's own limits; fields left out fall back to the configured defaults. */
    @PUT
    @Path("/{id}/limits")
    @Consumes(MediaType.APPLICATION_JSON)
    public ApiKeyView limit(@PathParam("id") String id, KeyLimits limits) {
        return keys.limit(id, AdminProblems.required(limits));
    }

    @DELETE
    @Path("/{id}")
    public void revoke(@PathParam("id") String id) {
        keys.revoke(id);
    }
}
