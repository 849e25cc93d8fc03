package dev.anvil.gateway.admin;

import com.fasterxml.jackson.annotation.JsonUnwrapped;
import dev.anvil.gateway.rollout.RolloutView;
import dev.anvil.gateway.rollout.Rollouts;
import dev.anvil.gateway.route.RouteView;
import dev.anvil.gateway.route.Routes;
import dev.anvil.service.http.RefusedException;
import jakarta.ws.rs.Consumes;
import jakarta.ws.rs.DELETE;
import jakarta.ws.rs.GET;
import jakarta.ws.rs.PUT;
import jakarta.ws.rs.Path;
import jakarta.ws.rs.PathParam;
import jakarta.ws.rs.Produces;
import jakarta.ws.rs.core.MediaType;

import java.util.List;

/**
 * {@code /admin/routes}: a public model name and the versions that share its traffic ({@code PUT {"version": ...}} or
 * {@code {"variants": [{"version", "weight"}, ...]}}), list, get (with its history), delete.
 */
@Path("/admin/routes")
@Produces(MediaType.APPLICATION_JSON)
public class RoutesResource {
    /**
     * The body of PUT /admin/routes/{name}: one {@code version} for all the traffic, or {@code variants} with
     * weights in percent summing to 100; {@code reason} goes into the route's history.
     */
    public record RouteBody(String version, List<RouteView.VariantView> variants, String reason) {
        List<RouteView.VariantView> split() {
            if (version != null && variants != null) throw RefusedException.invalid("give version or variants, not both");
            if (version != null) return List.of(new RouteView.VariantView(version, 100));
            if (variants == null) throw RefusedException.invalid("version or variants is required");
            return variants;
        }
    }

    /** A route with its latest rollout (the running canary analysis, or the last one) and the checks it ran. */
    public record RouteDetail(@JsonUnwrapped RouteView route, RolloutView analysis) {
    }

    private final Routes routes;
    private final Rollouts rollouts;

    public RoutesResource(Routes routes, Rollouts rollouts) {
        this.routes = routes;
        this.rollouts = rollouts;
    }

    @GET
    public List<RouteView> list() {
        return routes.list();
    }

    @GET
    @Path("/{name}")
    public RouteDetail get(@PathParam("name") String name) {
        return new RouteDetail(routes.get(name), rollouts.latestOf(name).orElse(null));
    }

    @PUT
    @Path("/{name}")
    @Consumes(MediaType.APPLICATION_JSON)
    public RouteView put(@PathParam("name") String name, RouteBody body) {
        RouteBody given = AdminProblems.required(body);
        return routes.put(name, given.split(), given.reason());
    }

    @DELETE
    @Path("/{name}")
    public void delete(@PathParam("name") String name) {
        routes.delete(name);
    }
}
