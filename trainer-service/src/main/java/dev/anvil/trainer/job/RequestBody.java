package dev.anvil.trainer.job;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.anvil.events.EventCodec;
import dev.anvil.events.InvalidEventException;
import dev.anvil.events.training.TrainingRequested;
import jakarta.ws.rs.WebApplicationException;
import jakarta.ws.rs.core.Response;

import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.util.UUID;

/** The body of {@code POST /jobs}: a TrainingRequested's data, read up to a bound; a missing jobId is generated. */
final class RequestBody {
    static final String MAX_BYTES = "anvil.trainer.max-request-bytes";

    private RequestBody() {
    }

    static TrainingRequested read(InputStream in, int maxBytes) {
        byte[] bytes;
        try {
            bytes = in.readNBytes(maxBytes + 1);
        } catch (IOException e) {
            throw new UncheckedIOException("cannot read the request body: " + e.getMessage(), e);
        }
        if (bytes.length > maxBytes) {
            throw new WebApplicationException("the request body is larger than " + MAX_BYTES + "=" + maxBytes
                    + " bytes", Response.Status.REQUEST_ENTITY_TOO_LARGE);
        }
        JsonNode body;
        try {
            body = EventCodec.mapper().readTree(bytes);
        } catch (IOException e) {
            throw new InvalidJobException("the body is not JSON: " + (e instanceof JsonProcessingException j
                    ? j.getOriginalMessage() : e.getMessage()));
        }
        if (!(body instanceof ObjectNode fields)) throw new InvalidJobException("the body must be a JSON object");
        if (!fields.hasNonNull("jobId")) fields.put("jobId", UUID.randomUUID().toString());
        try {
            return EventCodec.mapper().treeToValue(fields, TrainingRequested.class);
        } catch (JsonProcessingException e) {
            throw new InvalidJobException(e.getCause() instanceof InvalidEventException invalid
                    ? invalid.getMessage() : e.getOriginalMessage());
        }
    }
}
