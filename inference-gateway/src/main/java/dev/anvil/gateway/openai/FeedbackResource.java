package dev.anvil.gateway.openai;

import com.fasterxml.jackson.databind.JsonNode;
import dev.anvil.gateway.live.Feedback;
import dev.anvil.gateway.live.Feedbacks;
import io.smallrye.common.annotation.Blocking;
import jakarta.ws.rs.Consumes;
import jakarta.ws.rs.POST;
import jakarta.ws.rs.Path;
import jakarta.ws.rs.core.MediaType;
import jakarta.ws.rs.core.Response;

/**
 * {@code POST /v1/feedback}: a client rates an answer by its response id (not an OpenAI endpoint; the gateway's
 * own, in OpenAI's style). Rating the same answer again replaces the earlier rating.
 */
@Path("/v1/feedback")
public class FeedbackResource {

    /** The stored feedback as answered. */
    record FeedbackObject(String object, String id, String response_id, String model, String model_version,
                          int rating, String correction, long created) {
        static FeedbackObject of(Feedback f) {
            return new FeedbackObject("feedback", "fb-" + f.responseId, f.responseId, f.model, f.versionId, f.rating,
                    f.correction, f.createdAt.getEpochSecond());
        }
    }

    private final Feedbacks feedbacks;

    public FeedbackResource(Feedbacks feedbacks) {
        this.feedbacks = feedbacks;
    }

    @POST
    @Blocking // database reads and writes
    @Consumes(MediaType.APPLICATION_JSON)
    public Response rate(JsonNode body) {
        FeedbackRequest request = FeedbackRequest.read(body);
        Feedback stored = feedbacks.rate(request.id(), request.rating(), request.correction()).orElseThrow(() ->
                new OpenAiException(404, "No response with id '" + request.id() + "' was served by this gateway "
                        + "(ids are kept for anvil.gateway.live.retention).", "invalid_request_error", "id",
                        "response_not_found"));
        return Response.status(201).type(MediaType.APPLICATION_JSON_TYPE).entity(FeedbackObject.of(stored)).build();
    }
}
