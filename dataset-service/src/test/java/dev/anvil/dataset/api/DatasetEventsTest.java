package dev.anvil.dataset.api;

import dev.anvil.dataset.ServiceMetrics;
import dev.anvil.dataset.version.VersionStore;
import dev.anvil.events.Envelope;
import dev.anvil.events.EventCodec;
import dev.anvil.events.Topics;
import dev.anvil.events.dataset.DatasetVersionCreated;
import dev.anvil.events.testing.InProcessKafka;
import dev.anvil.events.testing.PrometheusText;
import io.quarkus.test.common.QuarkusTestResource;
import io.quarkus.test.junit.QuarkusTest;
import io.restassured.response.ExtractableResponse;
import io.restassured.response.Response;
import io.opentelemetry.sdk.trace.export.SpanExporter;
import jakarta.enterprise.inject.Instance;
import jakarta.inject.Inject;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.consumer.KafkaConsumer;
import org.junit.jupiter.api.Test;

import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;

import static dev.anvil.dataset.ServiceMetrics.grown;
import static dev.anvil.dataset.api.Uploads.NDJSON;
import static dev.anvil.dataset.api.Uploads.distinctChats;
import static dev.anvil.dataset.api.Uploads.freshName;
import static dev.anvil.dataset.api.Uploads.upload;
import static org.awaitility.Awaitility.await;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * DatasetVersionCreated reaches the real broker, keyed by the dataset, once per new version, after the files, in the
 * trace of the upload's request (through the outbox); and {@code /q/metrics} counts the uploads by outcome, the new
 * version's records, and the event sent.
 */
@QuarkusTest
@QuarkusTestResource(InProcessKafka.class)
class DatasetEventsTest {

    @Inject
    VersionStore store;
    @Inject
    Instance<SpanExporter> exporters;

    @Test
    void withoutACollectorConfiguredNoSpanLeavesTheProcess() {
        // service-kit's NoCollector is the exporter while no OTLP endpoint is set, so Quarkus leaves its own out.
        assertFalse(exporters.isUnsatisfied(), "the dropping span exporter is in place");
    }

    @Test
    void aNewVersionIsAnnouncedOnceWithItsReport() {
        String dataset = freshName("events");
        PrometheusText before = ServiceMetrics.scrape();
        try (KafkaConsumer<String, String> consumer = InProcessKafka.consumer(Topics.DATASET_EVENTS)) {
            // The caller's trace, as a W3C traceparent header (a client's, or the ingress's).
            ExtractableResponse<Response> created = upload(dataset, NDJSON,
                    distinctChats("honeybees", 5) + distinctChats("honeybees", 1), Map.of(),
                    Map.of("traceparent", "00-" + TRACE_ID + "-00f067aa0ba902b7-01")).statusCode(201).extract();
            String version = created.path("version");

            List<ConsumerRecord<String, String>> events = eventsOf(consumer, dataset, 1, Duration.ofSeconds(20));
            assertEquals(1, events.size());
            ConsumerRecord<String, String> record = events.get(0);
            assertEquals(dataset, record.key());
            String traceparent = new String(record.headers().lastHeader("traceparent").value(), StandardCharsets.UTF_8);
            assertEquals(TRACE_ID, traceparent.split("-")[1], "sent in the upload's trace: " + traceparent);
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

            // One upload refused (strict, with a malformed line), to count that outcome too.
            upload(dataset, NDJSON, distinctChats("wasps", 1) + "{not json\n", Map.of("strict", "true"))
                    .statusCode(400);
            // The event is counted just after its acknowledgement.
            PrometheusText after = await().atMost(Duration.ofSeconds(10)).until(ServiceMetrics::scrape,
                    page -> page.value(SENT, "topic", Topics.DATASET_EVENTS, "outcome", "sent") >= 1);
            assertEquals(1, grown(before, after, "anvil_dataset_uploads_total", "outcome", "created"));
            assertEquals(1, grown(before, after, "anvil_dataset_uploads_total", "outcome", "existing"));
            assertEquals(1, grown(before, after, "anvil_dataset_uploads_total", "outcome", "refused"));
            assertEquals(6, grown(before, after, "anvil_dataset_records_input_total"));
            assertEquals(5, grown(before, after, "anvil_dataset_records_accepted_total"));
            assertEquals(1, grown(before, after, "anvil_dataset_records_removed_total", "reason", "duplicate"));
            assertEquals(3, grown(before, after, "anvil_dataset_upload_duration_seconds_count"));
        }
    }

    private static final String SENT = "anvil_kafka_produced_total";
    private static final String TRACE_ID = "4bf92f3577b34da6a3ce929d0e0e4736";

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
