package dev.anvil.trainer.job;

import dev.anvil.events.training.TrainingRequested;
import dev.anvil.trainer.tracking.ExperimentRecords;
import dev.anvil.trainer.tracking.MetricsCurve;
import io.smallrye.common.annotation.Blocking;
import io.smallrye.mutiny.Multi;
import jakarta.ws.rs.BadRequestException;
import jakarta.ws.rs.Consumes;
import jakarta.ws.rs.GET;
import jakarta.ws.rs.NotFoundException;
import jakarta.ws.rs.POST;
import jakarta.ws.rs.Path;
import jakarta.ws.rs.PathParam;
import jakarta.ws.rs.Produces;
import jakarta.ws.rs.QueryParam;
import jakarta.ws.rs.core.Context;
import jakarta.ws.rs.core.MediaType;
import jakarta.ws.rs.core.Response;
import jakarta.ws.rs.core.StreamingOutput;
import jakarta.ws.rs.sse.OutboundSseEvent;
import jakarta.ws.rs.sse.Sse;
import org.eclipse.microprofile.config.inject.ConfigProperty;
import org.jboss.resteasy.reactive.RestStreamElementType;

import java.io.InputStream;
import java.net.URI;
import java.util.Map;

/**
 * The jobs API. {@code POST /jobs} does not start anything itself: it publishes the request to
 * {@code training.requests}, so that REST and Kafka requests take the same path through the consumer.
 */
@Path("/jobs")
@Produces(MediaType.APPLICATION_JSON)
public class JobResource {
    private static final int MAX_EVERY = 1_000_000;

    private final JobService jobs;
    private final JobRequestValidator validator;
    private final TrainingEventPublisher publisher;
    private final ExperimentQueries experiments;
    private final ExperimentRecords records;
    private final JobEventStream eventStream;
    private final int maxRequestBytes;
    private final int maxMetricsPoints;

    public JobResource(JobService jobs, JobRequestValidator validator, TrainingEventPublisher publisher,
                       ExperimentQueries experiments,
                       ExperimentRecords records, JobEventStream events,
                       @ConfigProperty(name = RequestBody.MAX_BYTES) int maxRequestBytes,
                       @ConfigProperty(name = "anvil.trainer.metrics.max-points") int maxMetricsPoints) {
        this.jobs = jobs;
        this.validator = validator;
        this.publisher = publisher;
        this.experiments = experiments;
        this.records = records;
        this.eventStream = events;
        this.maxRequestBytes = maxRequestBytes;
        this.maxMetricsPoints = maxMetricsPoints;
    }

    /** Body: a TrainingRequested's data; {@code jobId} may be left out and is then generated. */
    @POST
    @Consumes(MediaType.APPLICATION_JSON)
    public Response submit(InputStream body) {
        TrainingRequested request = RequestBody.read(body, maxRequestBytes);
        // The consumer validates again (files can change in between); checking here too answers REST callers 400.
        validator.validate(request);
        publisher.publish(request);
        return Response.accepted(Map.of("jobId", request.jobId()))
                .location(URI.create("/jobs/" + request.jobId())).build();
    }

    /** All jobs, newest first (optionally of one status); with {@code dataset}, that dataset's runs compared. */
    @GET
    public Object list(@QueryParam("dataset") String dataset, @QueryParam("version") String version,
                       @QueryParam("status") String status) {
        JobStatus wanted = QueryParams.status(status);
        if (dataset == null) {
            if (version != null) throw new BadRequestException("query parameter version needs dataset");
            return jobs.list().stream().filter(j -> wanted == null || j.status().equals(wanted.wireName())).toList();
        }
        return experiments.compare(QueryParams.folderName("dataset", dataset),
                QueryParams.folderName("version", version), wanted);
    }

    @GET
    @Path("/{id}")
    public JobDetails get(@PathParam("id") String id) {
        return experiments.details(id).orElseThrow(() -> new NotFoundException("no job " + id));
    }

    /** The loss curves from {@code runs/<id>/metrics.jsonl}, streamed; {@code every} thins the train series. */
    @GET
    @Path("/{id}/metrics")
    public Response metrics(@PathParam("id") String id, @QueryParam("every") String every) {
        int n = QueryParams.intInRange("every", every, 1, 1, MAX_EVERY);
        if (jobs.find(id).isEmpty()) throw new NotFoundException("no job " + id);
        MetricsCurve curve = MetricsCurve.read(records.metricsFile(id).orElse(null), n, maxMetricsPoints);
        return Response.ok((StreamingOutput) curve::writeTo, MediaType.APPLICATION_JSON_TYPE).build();
    }

    /** Live progress as server-sent events (see {@link JobEventStream}). */
    @GET
    @Path("/{id}/events")
    @Produces(MediaType.SERVER_SENT_EVENTS)
    @RestStreamElementType(MediaType.APPLICATION_JSON)
    @Blocking // it reads the job from the database before the stream starts
    public Multi<OutboundSseEvent> events(@PathParam("id") String id, @Context Sse sse) {
        return eventStream.open(id, sse);
    }

    @POST
    @Path("/{id}/cancel")
    public Response cancel(@PathParam("id") String id) {
        JobView job = jobs.cancel(id).orElseThrow(() -> new NotFoundException("no job " + id));
        return Response.accepted(job).build();
    }
}
