package dev.anvil.trainer.job;

import dev.anvil.events.DeadLetters;
import dev.anvil.events.Envelope;
import dev.anvil.events.EventCodec;
import dev.anvil.events.Topics;
import dev.anvil.events.training.TrainingRequested;
import dev.anvil.events.testing.InProcessKafka;
import dev.anvil.events.testing.PrometheusText;
import dev.anvil.trainer.testing.ColorDataset;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.consumer.KafkaConsumer;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.ProducerRecord;

import static io.restassured.RestAssured.given;
import static org.awaitility.Awaitility.await;
import static org.hamcrest.Matchers.equalTo;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.concurrent.ExecutionException;
import java.util.function.Predicate;

/**
 * What the service tests share: the data directory, sending requests, waiting for events or a status, reading the
 * metrics.
 */
final class ServiceFixtures {

    private ServiceFixtures() {
    }

    /** The real model (a link, never a copy) and the colour dataset, under the service's data directory. */
    static void prepare(Path dataDir) throws IOException {
        ColorDataset.linkModelInto(dataDir);
        if (!Files.isDirectory(dataDir.resolve("datasets/colors/v1"))) ColorDataset.write(dataDir);
    }

    /** Publishes {@code request} to training.requests; answers the partition it went to. */
    static int send(KafkaProducer<String, String> producer, TrainingRequested request)
            throws InterruptedException, ExecutionException {
        return producer.send(EventCodec.toRecord(Envelope.wrap("anvil/test", request))).get().partition();
    }

    /** Publishes {@code request} in the trace {@code traceparent} names (its W3C header, as another service sends). */
    static void send(KafkaProducer<String, String> producer, TrainingRequested request, String traceparent)
            throws InterruptedException, ExecutionException {
        ProducerRecord<String, String> record = EventCodec.toRecord(Envelope.wrap("anvil/test", request));
        record.headers().add("traceparent", traceparent.getBytes(StandardCharsets.UTF_8));
        producer.send(record).get();
    }

    /**
     * The trace ids in the traceparent headers of {@code subject}'s first {@code count} messages on
     * training.events (none for a message without one), read from the start of the topic.
     */
    static List<String> traceIdsOf(String subject, int count) {
        List<String> ids = new ArrayList<>();
        try (KafkaConsumer<String, String> events = InProcessKafka.consumer(Topics.TRAINING_EVENTS)) {
            long deadline = System.nanoTime() + Duration.ofSeconds(30).toNanos();
            while (ids.size() < count && System.nanoTime() < deadline) {
                for (ConsumerRecord<String, String> r : events.poll(Duration.ofMillis(500))) {
                    if (!subject.equals(r.key()) || ids.size() >= count) continue;
                    var header = r.headers().lastHeader("traceparent");
                    ids.add(header == null ? "none" : new String(header.value(), StandardCharsets.UTF_8).split("-")[1]);
                }
            }
        }
        return ids;
    }

    /**
     * Publishes {@code request} to one partition: a request sent after another to the same partition is handled
     * after it, so its outcome proves the consumer went past the first.
     */
    static void sendTo(KafkaProducer<String, String> producer, int partition, TrainingRequested request)
            throws InterruptedException, ExecutionException {
        ProducerRecord<String, String> record = EventCodec.toRecord(Envelope.wrap("anvil/test", request));
        producer.send(new ProducerRecord<>(record.topic(), partition, record.key(), record.value())).get();
    }

    /** Polls {@code events} for {@code subject}'s messages into {@code seen} until one matches {@code last}. */
    static void awaitEvent(KafkaConsumer<String, String> events, String subject, List<Envelope> seen,
                           Predicate<Envelope> last, Duration timeout) {
        long deadline = System.nanoTime() + timeout.toNanos();
        while (System.nanoTime() < deadline) {
            for (ConsumerRecord<String, String> r : events.poll(Duration.ofMillis(500))) {
                Envelope e = EventCodec.fromJson(r.value());
                if (!subject.equals(e.subject())) continue;
                seen.add(e);
                if (last.test(e)) return;
            }
        }
        throw new AssertionError("no matching event for " + subject + " within " + timeout + "; saw " + seen);
    }

    /**
     * A POST /jobs body: LoRA on aidreams260K and {@code dataset}/v1 with the flow test's small settings;
     * {@code extra} adds hyperparameters (JSON members, e.g. {@code "\"evalInterval\":2"}).
     */
    static String body(String jobId, String dataset, double learningRate, long maxSteps, String extra) {
        return String.format(Locale.ROOT, "{\"jobId\":\"%s\",\"baseModel\":\"aidreams260K\","
                + "\"dataset\":{\"name\":\"%s\",\"version\":\"v1\"},\"method\":\"lora\",\"hyperparameters\":{"
                + "\"learningRate\":%s,\"warmupSteps\":1,\"maxSteps\":%d,\"microBatchSize\":4,\"maxSeqLength\":128,"
                + "\"loraRank\":8,\"loraAlpha\":16.0,\"loraDropout\":0.0,\"seed\":7%s}}",
                jobId, dataset, learningRate, maxSteps, extra.isEmpty() ? "" : "," + extra);
    }

    /** POST /jobs with {@code body}, which must be accepted. */
    static void submit(String body) {
        given().contentType("application/json").body(body).post("/jobs").then().statusCode(202);
    }

    /**
     * Publishes {@code body} (a POST /jobs body) straight to training.requests, the way another service would: for
     * requests that POST /jobs refuses before publishing.
     */
    static void publish(String body) throws Exception {
        try (KafkaProducer<String, String> producer = InProcessKafka.producer()) {
            send(producer, EventCodec.mapper().readValue(body, TrainingRequested.class));
        }
    }

    /** Polls {@code dlq} until the dead letter keyed {@code key} arrives. */
    static ConsumerRecord<String, String> awaitDeadLetter(KafkaConsumer<String, String> dlq, String key,
                                                          Duration timeout) {
        long deadline = System.nanoTime() + timeout.toNanos();
        while (System.nanoTime() < deadline) {
            for (ConsumerRecord<String, String> r : dlq.poll(Duration.ofMillis(500))) {
                if (key.equals(r.key())) return r;
            }
        }
        throw new AssertionError("no dead letter for " + key + " within " + timeout);
    }

    /** Why a record was dead-lettered. */
    static String reason(ConsumerRecord<String, String> deadLetter) {
        return new String(deadLetter.headers().lastHeader(DeadLetters.REASON_HEADER).value(), StandardCharsets.UTF_8);
    }

    /** Polls GET /jobs/{id} until the job has {@code status}. */
    static void awaitStatus(String jobId, String status, Duration timeout) {
        await().atMost(timeout).pollInterval(Duration.ofMillis(200)).untilAsserted(() ->
                given().get("/jobs/" + jobId).then().statusCode(200).body("status", equalTo(status)));
    }

    /** The service's {@code /q/metrics} now. */
    static PrometheusText metrics() {
        return PrometheusText.parse(given().get("/q/metrics").then().statusCode(200).extract().asString());
    }
}
