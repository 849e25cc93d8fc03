package dev.anvil.trainer.job;

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

/**
 * The body of {@code POST /jobs}: a TrainingRequested's data, read up to a bound and as strictly as a Kafka message
 * (the same codec); a missing jobId is generated.
 */
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
        try {
            if (!(EventCodec.readTree(bytes) instanceof ObjectNode fields)) {
                throw new InvalidJobException("the body must be a JSON object");
            }
            if (!fields.hasNonNull("jobId")) fields.put("jobId", UUID.randomUUID().toString());
            return EventCodec.treeToValue(fields, TrainingRequested.class);
        } catch (InvalidEventException e) {
            throw new InvalidJobException(e.getMessage());
        }
    }
}
