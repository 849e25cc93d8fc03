package dev.anvil.dataset.retrain;

import dev.anvil.events.Envelope;
import dev.anvil.events.EventCodec;
import dev.anvil.events.EventData;
import dev.anvil.events.Topics;
import dev.anvil.events.drift.DriftDetected;
import dev.anvil.events.testing.InProcessKafka;
import dev.anvil.events.training.DatasetRef;
import dev.anvil.events.training.Hyperparameters;
import dev.anvil.events.training.TrainingMethod;
import dev.anvil.events.training.TrainingRequested;
import io.quarkus.narayana.jta.QuarkusTransaction;
import io.restassured.path.json.JsonPath;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.consumer.KafkaConsumer;
import org.apache.kafka.clients.producer.KafkaProducer;

import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.UUID;
import java.util.concurrent.ExecutionException;

import static io.restassured.RestAssured.given;
import static org.awaitility.Awaitility.await;

/**
 * The other services' side of the retraining loop for the tests: a parent dataset version uploaded through the API,
 * the training request that trained the drifting version, drift alerts and outcomes published on the real broker,
 * and the training requests the dataset-service publishes read back.
 */
final class LoopFixture {

    static final String BASE_MODEL = "aidreams260K";
    static final Hyperparameters SETTINGS = EventCodec.treeToValue(EventCodec.readTree(
            "{\"learningRate\":0.001,\"epochs\":2,\"loraRank\":16,\"seed\":7}"), Hyperparameters.class);
    private static final String[] WORDS = {"harbour", "lantern", "meadow", "copper", "glacier", "orchard", "violin",
            "canyon", "pepper", "saddle", "tunnel", "marble", "falcon", "kettle", "ribbon", "desert", "anchor",
            "blossom", "cobalt", "dagger", "ember", "fossil", "garnet", "hammock", "igloo", "jasmine", "kayak",
            "lagoon", "mosaic", "nectar", "oyster", "pylon", "quartz", "radish", "sequoia", "thimble"};

    private LoopFixture() {
    }

    static String fresh(String prefix) {
        return prefix + "-" + UUID.randomUUID().toString().substring(0, 8);
    }

    /** {@code n} records unlike each other (no near duplicates), in the upload format, one a line. */
    static String records(String tag, int n) {
        StringBuilder lines = new StringBuilder();
        for (int i = 0; i < n; i++) {
            lines.append("{\"prompt\":\"").append(tag).append(' ').append(i).append(": how does the ")
                    .append(word(i)).append(" relate to the ").append(word(i * 7 + 3)).append("?\",\"completion\":\"")
                    .append("The ").append(word(i)).append(" and the ").append(word(i * 11 + 5)).append(" share ")
                    .append(tag).append(" item ").append(i).append(".\"}\n");
        }
        return lines.toString();
    }

    /**
     * {@code n} records as the gateway serves traffic, phrased unlike {@link #records} (so that none is a near
     * duplicate of a parent's record), each with a user's e-mail address.
     */
    static String traffic(int n) {
        StringBuilder lines = new StringBuilder();
        for (int i = 0; i < n; i++) {
            lines.append("{\"messages\":[{\"role\":\"user\",\"content\":\"Customer question ").append(i)
                    .append(": is the ").append(word(i * 5 + 1)).append(" near the ").append(word(i * 13 + 2))
                    .append("? Write to user").append(i).append("@example.com about it.\"},")
                    .append("{\"role\":\"assistant\",\"content\":\"Yes, the ").append(word(i * 5 + 1))
                    .append(" is near the ").append(word(i * 17 + 4)).append(" for traffic ").append(i)
                    .append(".\"}]}\n");
        }
        return lines.toString();
    }

    private static String word(int i) {
        return WORDS[i % WORDS.length];
    }

    /** Uploads {@code n} records as a new dataset and answers its version. */
    static String parentVersion(String dataset, int n) {
        return given().contentType("application/x-ndjson").body(records("parent", n)
                        .getBytes(StandardCharsets.UTF_8))
                .post("/datasets/{name}/versions", dataset).then().statusCode(201).extract().path("version");
    }

    /** A route served by a job trained on a fresh dataset's first version. */
    record Served(String dataset, String parentVersion, String route, String job) {

        /** Publishes the route's first drift alert and answers its retraining's id, once decided. */
        String firstAlert() {
            publish(drift(job));
            return retrainings(route, 1).getString("[0].id");
        }
    }

    /**
     * A fresh dataset {@code name} of {@code parentRecords} records, the job trained on it for a fresh route, and
     * {@code trafficRecords} records of its traffic at the stand-in gateway (0: no answer set).
     */
    static Served served(String name, int parentRecords, int trafficRecords) {
        String dataset = fresh(name), route = fresh("faq"), job = fresh("job");
        String parent = parentVersion(dataset, parentRecords);
        trained(job, dataset, parent, route);
        if (trafficRecords > 0) StandInGateway.answer(job, 200, traffic(trafficRecords));
        return new Served(dataset, parent, route, job);
    }

    /** Publishes the request that trained {@code jobId} and waits until the dataset-service recorded it. */
    static void trained(String jobId, String dataset, String version, String route) {
        publish(Envelope.wrap("test", new TrainingRequested(jobId, BASE_MODEL, new DatasetRef(dataset, version),
                TrainingMethod.LORA, SETTINGS, false, route)));
        await().atMost(Duration.ofSeconds(20)).until(() -> QuarkusTransaction.requiringNew()
                .call(() -> KnownTrainingRequest.findById(jobId) != null));
    }

    /** The feature {@link #drift(String)} alerts on, one of the gateway's. */
    static final String FEATURE = "prompt_tokens";

    static Envelope drift(String modelVersion) {
        return drift(modelVersion, FEATURE);
    }

    static Envelope drift(String modelVersion, String feature) {
        return Envelope.wrap("test", new DriftDetected(modelVersion, feature, "psi", 0.31, 0.2,
                new DriftDetected.Window(Instant.now().minusSeconds(3600), Instant.now(), 500)));
    }

    static Envelope publish(EventData data) {
        return publish(Envelope.wrap("test", data));
    }

    static Envelope publish(Envelope envelope) {
        try (KafkaProducer<String, String> producer = InProcessKafka.producer()) {
            producer.send(EventCodec.toRecord(envelope)).get();
        } catch (InterruptedException | ExecutionException e) {
            throw new IllegalStateException(e);
        }
        return envelope;
    }

    /** Waits until route {@code route} has {@code n} retrainings and the newest is no longer deciding or building. */
    static JsonPath retrainings(String route, int n) {
        return await().atMost(Duration.ofSeconds(30)).pollInterval(Duration.ofMillis(200)).until(
                () -> given().queryParam("route", route).get("/retrainings").then().statusCode(200).extract()
                        .jsonPath(),
                list -> list.getList("$").size() == n && !"BUILDING".equals(list.getString("[0].status")));
    }

    /** A retraining of {@code route} that requested its training at {@code at} and ended: what the guards count. */
    static void requestedEarlier(String route, Instant at) {
        QuarkusTransaction.requiringNew().run(() -> {
            Retraining row = Retraining.triggeredBy(UUID.randomUUID().toString(),
                    drift(fresh("job")).dataAs(DriftDetected.class), at);
            row.route = route;
            row.requestedAt = at;
            row.jobId = Retraining.jobIdOf(row.id);
            row.step(RetrainingStatus.PROMOTED, "an earlier retraining, written by the test", null, at);
            row.persist();
        });
    }

    /** What a crash leaves of an approval: its BUILDING step committed, then the process gone mid-build. */
    static void approvedThenCrashed(String id) {
        QuarkusTransaction.requiringNew().run(() -> Retraining.<Retraining>findById(id).step(
                RetrainingStatus.BUILDING, "approved: building a child version from the version's traffic", null,
                Instant.now()));
    }

    /**
     * The training requests keyed {@code jobId} that arrive within {@code within}, once {@code expected} did (0: the
     * whole time, to see that none comes).
     */
    static List<TrainingRequested> requestsFor(KafkaConsumer<String, String> consumer, String jobId, int expected,
                                               Duration within) {
        List<TrainingRequested> found = new ArrayList<>();
        long deadline = System.nanoTime() + within.toNanos();
        while (System.nanoTime() < deadline && (expected == 0 || found.size() < expected)) {
            for (ConsumerRecord<String, String> record : consumer.poll(Duration.ofMillis(200))) {
                if (jobId.equals(record.key())) {
                    found.add(EventCodec.fromJson(record.value()).dataAs(TrainingRequested.class));
                }
            }
        }
        return found;
    }

    static KafkaConsumer<String, String> trainingRequests() {
        return InProcessKafka.consumer(Topics.TRAINING_REQUESTS);
    }
}
