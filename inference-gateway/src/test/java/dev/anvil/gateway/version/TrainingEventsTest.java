package dev.anvil.gateway.version;

import dev.anvil.events.DeadLetters;
import dev.anvil.events.Envelope;
import dev.anvil.events.EventCodec;
import dev.anvil.events.EventData;
import dev.anvil.events.Topics;
import dev.anvil.events.testing.InProcessKafka;
import dev.anvil.events.training.DatasetRef;
import dev.anvil.events.training.TrainingCompleted;
import dev.anvil.events.training.TrainingMethod;
import dev.anvil.events.training.TrainingStarted;
import dev.anvil.gateway.testing.GatewayClients;
import dev.anvil.gateway.testing.GatewayDataDir;
import io.quarkus.test.common.QuarkusTestResource;
import io.quarkus.test.junit.QuarkusTest;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.consumer.KafkaConsumer;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.junit.jupiter.api.Test;

import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.HashMap;
import java.util.Map;
import java.util.Set;
import java.util.UUID;

import static dev.anvil.gateway.testing.GatewayClients.admin;
import static org.awaitility.Awaitility.await;
import static org.hamcrest.Matchers.equalTo;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * training.events on the in-process broker: a TrainingCompleted registers its job's version once (a redelivery
 * changes nothing), the job's other events are ignored, and a message the gateway cannot take is dead-lettered
 * while consumption goes on.
 */
@QuarkusTest
@QuarkusTestResource(GatewayDataDir.class)
class TrainingEventsTest {
    static final Duration WAIT = Duration.ofSeconds(30);

    static TrainingCompleted completed(String jobId, String adapterPath) {
        return new TrainingCompleted(jobId, GatewayDataDir.MODEL, new DatasetRef("faq", "v1"), TrainingMethod.LORA,
                adapterPath, null, 10, Map.of("trainLoss", 0.5));
    }

    /** Publishes to one partition, so that a later message there is handled after it. */
    static void send(KafkaProducer<String, String> producer, int partition, EventData data) throws Exception {
        ProducerRecord<String, String> r = EventCodec.toRecord(Envelope.wrap("anvil/test", data));
        producer.send(new ProducerRecord<>(Topics.TRAINING_EVENTS, partition, r.key(), r.value())).get();
    }

    static void awaitVersion(String id) {
        await().atMost(WAIT).pollInterval(Duration.ofMillis(200)).untilAsserted(() ->
                admin().get("/admin/versions/" + id).then().statusCode(200));
    }

    @Test
    void aCompletedJobBecomesAVersionOnceAndOnlyOnce() throws Exception {
        GatewayClients.awaitReady();
        String suffix = UUID.randomUUID().toString().substring(0, 8);
        String job = "trained-" + suffix;
        try (KafkaProducer<String, String> producer = InProcessKafka.producer()) {
            send(producer, 0, new TrainingStarted(job, 0, 10)); // not the gateway's business
            send(producer, 0, completed(job, "runs/" + job + "/adapter"));
            awaitVersion(job);
            admin().get("/admin/versions/" + job).then().body("jobId", equalTo(job))
                    .body("baseModel", equalTo(GatewayDataDir.MODEL)).body("kind", equalTo("adapter"))
                    .body("adapterPath", equalTo("runs/" + job + "/adapter"));
            String created = admin().get("/admin/versions/" + job).then().extract().path("createdAt");

            // The same message again, then a marker behind it on the same partition: once the marker is in, the
            // redelivery has been handled, and it changed nothing.
            send(producer, 0, completed(job, "runs/" + job + "/adapter"));
            String marker = "marker-" + suffix;
            send(producer, 0, completed(marker, "runs/" + marker + "/adapter"));
            awaitVersion(marker);
            admin().get("/admin/versions/" + job).then().body("createdAt", equalTo(created));
            long registered = admin().get("/admin/versions").then().extract().jsonPath()
                    .getList("jobId").stream().filter(job::equals).count();
            assertEquals(1, registered);
        }
    }

    @Test
    void whatCannotBeTakenIsDeadLetteredAndConsumptionGoesOn() throws Exception {
        GatewayClients.awaitReady();
        String suffix = UUID.randomUUID().toString().substring(0, 8);
        String garbageKey = "garbage-" + suffix;
        String escaping = "escaping-" + suffix;
        String after = "after-" + suffix;
        try (KafkaProducer<String, String> producer = InProcessKafka.producer();
             KafkaConsumer<String, String> dlq = InProcessKafka.consumer(Topics.deadLetter(Topics.TRAINING_EVENTS))) {
            producer.send(new ProducerRecord<>(Topics.TRAINING_EVENTS, 1, garbageKey, "{not json")).get();
            send(producer, 1, completed(escaping, "../../etc"));
            send(producer, 1, completed(after, "runs/" + after + "/adapter"));

            awaitVersion(after);
            Map<String, ConsumerRecord<String, String>> deadLetters = deadLetters(dlq, garbageKey, escaping);
            assertEquals("{not json", deadLetters.get(garbageKey).value());
            ConsumerRecord<String, String> outside = deadLetters.get(escaping);
            assertTrue(reason(outside).contains("adapterPath leads outside the data directory"), reason(outside));
            admin().get("/admin/versions/" + escaping).then().statusCode(404);
        }
    }

    /** Polls {@code dlq} until a dead letter keyed by each of {@code keys} has arrived. */
    static Map<String, ConsumerRecord<String, String>> deadLetters(KafkaConsumer<String, String> dlq, String... keys) {
        Map<String, ConsumerRecord<String, String>> found = new HashMap<>();
        Set<String> wanted = Set.of(keys);
        long deadline = System.nanoTime() + WAIT.toNanos();
        while (System.nanoTime() < deadline && !found.keySet().containsAll(wanted)) {
            for (ConsumerRecord<String, String> r : dlq.poll(Duration.ofMillis(500))) {
                if (wanted.contains(r.key())) found.put(r.key(), r);
            }
        }
        if (!found.keySet().containsAll(wanted)) {
            throw new AssertionError("dead letters keyed " + wanted + " expected within " + WAIT + "; got " + found.keySet());
        }
        return found;
    }

    static String reason(ConsumerRecord<String, String> deadLetter) {
        return new String(deadLetter.headers().lastHeader(DeadLetters.REASON_HEADER).value(), StandardCharsets.UTF_8);
    }
}
