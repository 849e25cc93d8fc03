package dev.anvil.events.testing;

import org.junit.jupiter.api.Test;

import static org.junit.jupiter.api.Assertions.assertEquals;

/** The metrics page as the services' tests read it, in both of the formats a service may answer with. */
class PrometheusTextTest {

    @Test
    void aSampleIsReadWithoutItsExemplarOrTimestamp() {
        PrometheusText page = PrometheusText.parse("""
                # TYPE anvil_kafka_produced counter
                anvil_kafka_produced_total{outcome="sent",topic="training.events"} 6.0 # {span_id="00f067aa0ba902b7",trace_id="4bf92f3577b34da6a3ce929d0e0e4736"} 1.0 1733500000.000
                anvil_odd_total{label="a } brace"} 2.0 1733500000000
                jvm_threads_live_threads 12.0
                """);
        assertEquals(6.0, page.value("anvil_kafka_produced_total", "topic", "training.events", "outcome", "sent"));
        assertEquals(2.0, page.value("anvil_odd_total", "label", "a } brace"));
        assertEquals(12.0, page.value("jvm_threads_live_threads"));
    }
}
