package dev.anvil.gateway.openai;

import dev.anvil.gateway.version.ServedModels;
import jakarta.ws.rs.GET;
import jakarta.ws.rs.Path;
import jakarta.ws.rs.PathParam;
import jakarta.ws.rs.Produces;
import jakarta.ws.rs.core.MediaType;

/** {@code GET /v1/models} and {@code GET /v1/models/{id}}: the names a client may call. */
@Path("/v1/models")
@Produces(MediaType.APPLICATION_JSON)
public class ModelsResource {
    /** When this gateway started serving: OpenAI's {@code created}, the same for every name it serves. */
    private static final long STARTED = System.currentTimeMillis() / 1000;

    private final ServedModels models;

    public ModelsResource(ServedModels models) {
        this.models = models;
    }

    @GET
    public WireTypes.ModelList list() {
        return WireTypes.ModelList.of(models.names().stream().map(id -> WireTypes.Model.of(id, STARTED)).toList());
    }

    @GET
    @Path("/{id}")
    public WireTypes.Model get(@PathParam("id") String id) {
        if (!models.names().contains(id)) throw OpenAiException.modelNotFound(id);
        return WireTypes.Model.of(id, STARTED);
    }
}
