package dev.anvil.dataset.outbox;

import io.quarkus.narayana.jta.QuarkusTransaction;
import io.quarkus.test.junit.QuarkusTest;
import io.quarkus.test.junit.QuarkusTestProfile;
import io.quarkus.test.junit.TestProfile;
import org.junit.jupiter.api.Test;

import java.nio.charset.StandardCharsets;
import java.util.List;
import java.util.Map;
import java.util.UUID;

import static io.restassured.RestAssured.given;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * With no broker reachable, uploads are still accepted and their events wait in the outbox (they are sent once
 * Kafka answers again; the other tests show the relay delivering).
 */
@QuarkusTest
@TestProfile(KafkaDownTest.NoBroker.class)
class KafkaDownTest {

    /** Kafka points at a closed port; the in-process broker of the other tests is not started. */
    public static class NoBroker implements QuarkusTestProfile {
        @Override
        public Map<String, String> getConfigOverrides() {
            return Map.of("kafka.bootstrap.servers", "127.0.0.1:9",
                    "anvil.kafka.max-block", "PT1S",
                    "anvil.kafka.request-timeout", "PT1S",
                    "anvil.kafka.delivery-timeout", "PT1S",
                    "anvil.outbox.relay-interval", "PT0.2S");
        }

        @Override
        public boolean disableGlobalTestResources() {
            return true;
        }
    }

    @Test
    void anUploadIsAcceptedAndItsEventKeptWhileKafkaIsDown() throws Exception {
        String dataset = "offline-" + UUID.randomUUID().toString().substring(0, 8);
        String body = "{\"prompt\":\"Is the broker up?\",\"completion\":\"Not right now.\"}\n"
                + "{\"prompt\":\"Will the event be lost?\",\"completion\":\"No, it waits in the outbox.\"}\n";
        given().contentType("application/x-ndjson").body(body.getBytes(StandardCharsets.UTF_8))
                .post("/datasets/{n}/versions", dataset)
                .then().statusCode(201);

        Thread.sleep(3_000); // several relay passes, each failing after the 1 s send timeout

        List<OutboxMessage> waiting = QuarkusTransaction.requiringNew().call(() ->
                OutboxMessage.<OutboxMessage>list("key", dataset));
        assertEquals(1, waiting.size());
        assertNull(waiting.get(0).sentAt, "not marked sent while no broker acknowledged it");
        assertEquals("dataset.events", waiting.get(0).topic);
        assertTrue(waiting.get(0).payload.contains("\"DatasetVersionCreated\""), waiting.get(0).payload);
    }
}
