package dev.anvil.gateway.admin;

import dev.anvil.gateway.route.RouteView;
import dev.anvil.gateway.route.Routes;
import jakarta.ws.rs.Consumes;
import jakarta.ws.rs.DELETE;
import jakarta.ws.rs.GET;
import jakarta.ws.rs.PUT;
import jakarta.ws.rs.Path;
import jakarta.ws.rs.PathParam;
import jakarta.ws.rs.Produces;
import jakarta.ws.rs.core.MediaType;

import java.util.List;

/** {@code /admin/routes}: a public model name pointed at a version ({@code PUT {"version": ...}}), list, delete. */
@Path("/admin/routes")
@Produces(MediaType.APPLICATION_JSON)
public class RoutesResource {
    /** The body of PUT /admin/routes/{name}. */
    public record RouteBody(String version) {
    }

    private final Routes routes;

    public RoutesResource(Routes routes) {
        this.routes = routes;
    }

    @GET
    public List<RouteView> list() {
        return routes.list();
    }

    @GET
    @Path("/{name}")
    public RouteView get(@PathParam("name") String name) {
        return routes.get(name);
    }

    @PUT
    @Path("/{name}")
    @Consumes(MediaType.APPLICATION_JSON)
    public RouteView put(@PathParam("name") String name, RouteBody body) {
        return routes.put(name, AdminProblems.required(body).version());
    }

    @DELETE
    @Path("/{name}")
    public void delete(@PathParam("name") String name) {
        routes.delete(name);
    }
}
