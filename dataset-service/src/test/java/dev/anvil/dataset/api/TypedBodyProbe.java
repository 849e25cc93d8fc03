package dev.anvil.dataset.api;

import jakarta.ws.rs.Consumes;
import jakarta.ws.rs.POST;
import jakarta.ws.rs.Path;
import jakarta.ws.rs.core.MediaType;

/**
 * A test-only endpoint whose JSON body the framework reads into a record, as a future service's resource would:
 * the shared guard must answer its type errors, not Quarkus REST's own mapper (400 with an empty body).
 */
@Path("/test-only/typed-body")
public class TypedBodyProbe {

    public record Body(int count, String name) {
    }

    @POST
    @Consumes(MediaType.APPLICATION_JSON)
    public int post(Body body) {
        return body.count();
    }
}
