package dev.anvil.dataset.retrain;

import jakarta.ws.rs.GET;
import jakarta.ws.rs.POST;
import jakarta.ws.rs.Path;
import jakarta.ws.rs.Produces;
import jakarta.ws.rs.core.MediaType;
import org.jboss.resteasy.reactive.RestPath;
import org.jboss.resteasy.reactive.RestQuery;

import java.util.List;

/** The retraining audit trail and the approval of retrainings waiting for a person (docs/retraining.md). */
@Path("/retrainings")
@Produces(MediaType.APPLICATION_JSON)
public class RetrainingResource {

    private final Retrainings retrainings;

    public RetrainingResource(Retrainings retrainings) {
        this.retrainings = retrainings;
    }

    /** Newest first; {@code route} keeps one route's. */
    @GET
    public List<RetrainingView> list(@RestQuery String route) {
        return retrainings.list(route);
    }

    @GET
    @Path("/{id}")
    public RetrainingView get(@RestPath String id) {
        return retrainings.view(id);
    }

    @POST
    @Path("/{id}/approve")
    public RetrainingView approve(@RestPath String id) {
        return retrainings.approve(id);
    }

    @POST
    @Path("/{id}/reject")
    public RetrainingView reject(@RestPath String id) {
        return retrainings.decline(id);
    }
}
