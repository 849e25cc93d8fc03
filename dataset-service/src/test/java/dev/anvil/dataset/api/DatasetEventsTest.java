package dev.anvil.dataset.api;

import dev.anvil.dataset.version.VersionStore;
import dev.anvil.events.Envelope;
import dev.anvil.events.EventCodec;
import dev.anvil.events.Topics;
import dev.anvil.events.dataset.DatasetVersionCreated;
import dev.anvil.events.testing.InProcessKafka;
import io.quarkus.test.common.QuarkusTestResource;
import io.quarkus.test.junit.QuarkusTest;
import io.restassured.response.ExtractableResponse;
import io.restassured.response.Response;
import jakarta.inject.Inject;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.consumer.KafkaConsumer;
import org.junit.jupiter.api.Test;

import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;

import static dev.anvil.dataset.api.Uploads.NDJSON;
import static dev.anvil.dataset.api.Uploads.distinctChats;
import static dev.anvil.dataset.api.Uploads.freshName;
import static dev.anvil.dataset.api.Uploads.upload;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** DatasetVersionCreated reaches the real broker, keyed by the dataset, once per new version, after the files. */
@QuarkusTest
@QuarkusTestResource(InProcessKafka.class)
class DatasetEventsTest {

    @Inject
    VersionStore store;

    @Test
    void aNewVersionIsAnnouncedOnceWithItsReport() {
        String dataset = freshName("events");
        try (KafkaConsumer<String, String> consumer = InProcessKafka.consumer(Topics.DATASET_EVENTS)) {
            ExtractableResponse<Response> created = upload(dataset, NDJSON,
                    distinctChats("honeybees", 5) + distinctChats("honeybees", 1)).statusCode(201).extract();
            String version = created.path("version");

            List<ConsumerRecord<String, String>> events = eventsOf(consumer, dataset, 1, Duration.ofSeconds(20));
            assertEquals(1, events.size());
            ConsumerRecord<String, String> record = events.get(0);
            assertEquals(dataset, record.key());
            // Files first, event second: when the event is read, the version folder is complete.
            Path folder = store.dataDir().resolve("datasets").resolve(dataset).resolve(version);
            for (String file : List.of("train.jsonl", "validation.jsonl", "rejects.jsonl", "manifest.json")) {
                assertTrue(Files.isRegularFile(folder.resolve(file)), file + " exists when the event arrives");
            }

            Envelope envelope = EventCodec.fromJson(record.value());
            assertEquals("DatasetVersionCreated", envelope.type());
            assertEquals(dataset, envelope.subject());
            DatasetVersionCreated event = envelope.dataAs(DatasetVersionCreated.class);
            assertEquals(dataset, event.dataset());
            assertEquals(version, event.version());
            assertNull(event.parent());
            assertEquals("datasets/" + dataset + "/" + version, event.location());
            assertEquals(6, event.records().input());
            assertEquals(5, event.records().accepted());
            assertEquals((int) created.path("records.train"), event.records().train());
            assertEquals((int) created.path("records.validation"), event.records().validation());
            assertEquals(1L, event.removed().get("duplicate"));

            // The same content again: the existing version, and nothing published.
            upload(dataset, NDJSON, distinctChats("honeybees", 5)).statusCode(200);
            assertEquals(List.of(), eventsOf(consumer, dataset, 1, Duration.ofSeconds(3)),
                    "no event for an upload that created nothing");
        }
    }

    /** Polls until {@code expected} events keyed by {@code dataset} arrived or {@code within} passed. */
    private static List<ConsumerRecord<String, String>> eventsOf(KafkaConsumer<String, String> consumer,
                                                                 String dataset, int expected, Duration within) {
        List<ConsumerRecord<String, String>> found = new ArrayList<>();
        long deadline = System.nanoTime() + within.toNanos();
        while (System.nanoTime() < deadline && found.size() < expected) {
            for (ConsumerRecord<String, String> record : consumer.poll(Duration.ofMillis(200))) {
                if (dataset.equals(record.key())) {
                    found.add(record);
                }
            }
        }
        return found;
    }
}
