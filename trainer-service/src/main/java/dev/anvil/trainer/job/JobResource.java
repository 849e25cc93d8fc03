package dev.anvil.trainer.job;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.anvil.events.EventCodec;
import dev.anvil.events.InvalidEventException;
import dev.anvil.events.training.TrainingRequested;
import jakarta.ws.rs.Consumes;
import jakarta.ws.rs.GET;
import jakarta.ws.rs.NotFoundException;
import jakarta.ws.rs.POST;
import jakarta.ws.rs.Path;
import jakarta.ws.rs.PathParam;
import jakarta.ws.rs.Produces;
import jakarta.ws.rs.core.MediaType;
import jakarta.ws.rs.core.Response;

import java.net.URI;
import java.util.List;
import java.util.Map;
import java.util.UUID;

/**
 * The jobs API. {@code POST /jobs} does not start anything itself: it publishes the request to
 * {@code training.requests}, so that REST and Kafka requests take the same path through the consumer.
 */
@Path("/jobs")
@Produces(MediaType.APPLICATION_JSON)
public class JobResource {
    private final JobService jobs;
    private final TrainingEventPublisher publisher;

    public JobResource(JobService jobs, TrainingEventPublisher publisher) {
        this.jobs = jobs;
        this.publisher = publisher;
    }

    /** Body: a TrainingRequested's data; {@code jobId} may be left out and is then generated. */
    @POST
    @Consumes(MediaType.APPLICATION_JSON)
    public Response submit(JsonNode body) {
        if (!(body instanceof ObjectNode fields)) {
            throw new InvalidJobException("the body must be a JSON object");
        }
        if (!fields.hasNonNull("jobId")) fields.put("jobId", UUID.randomUUID().toString());
        TrainingRequested request;
        try {
            request = EventCodec.mapper().treeToValue(fields, TrainingRequested.class);
        } catch (JsonProcessingException e) {
            Throwable cause = e.getCause();
            throw new InvalidJobException(cause instanceof InvalidEventException ? cause.getMessage()
                    : e.getOriginalMessage());
        }
        publisher.publish(request);
        return Response.accepted(Map.of("jobId", request.jobId()))
                .location(URI.create("/jobs/" + request.jobId())).build();
    }

    @GET
    public List<JobView> list() {
        return jobs.list();
    }

    @GET
    @Path("/{id}")
    public JobView get(@PathParam("id") String id) {
        return jobs.find(id).orElseThrow(() -> new NotFoundException("no job " + id));
    }

    @POST
    @Path("/{id}/cancel")
    public Response cancel(@PathParam("id") String id) {
        JobView job = jobs.cancel(id).orElseThrow(() -> new NotFoundException("no job " + id));
        return Response.accepted(job).build();
    }
}
