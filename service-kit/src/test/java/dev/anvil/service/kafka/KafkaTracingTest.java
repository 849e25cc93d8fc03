package dev.anvil.service.kafka;

import dev.anvil.events.Topics;
import dev.anvil.events.testing.InProcessKafka;
import dev.anvil.events.training.TrainingCancelled;
import dev.anvil.service.tracing.Traceparent;
import io.micrometer.core.instrument.simple.SimpleMeterRegistry;
import io.opentelemetry.api.trace.Span;
import io.opentelemetry.api.trace.SpanContext;
import io.opentelemetry.api.trace.SpanKind;
import io.opentelemetry.api.trace.propagation.W3CTraceContextPropagator;
import io.opentelemetry.context.Scope;
import io.opentelemetry.context.propagation.ContextPropagators;
import io.opentelemetry.sdk.OpenTelemetrySdk;
import io.opentelemetry.sdk.testing.exporter.InMemorySpanExporter;
import io.opentelemetry.sdk.trace.SdkTracerProvider;
import io.opentelemetry.sdk.trace.data.SpanData;
import io.opentelemetry.sdk.trace.export.SimpleSpanProcessor;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.consumer.KafkaConsumer;
import org.apache.kafka.common.header.Header;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.UUID;
import java.util.concurrent.CopyOnWriteArrayList;

import static org.awaitility.Awaitility.await;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * A trace carried through Kafka by the shared producer and consumer loop, on a real broker and a real SDK whose
 * finished spans are read back: the consumer's span is the child of the producer's, whatever the handler does runs
 * in it, dead letters and outbox rows keep the trace, and a message without a trace starts a new one.
 */
class KafkaTracingTest {
    private static final Duration WAIT = Duration.ofSeconds(30);

    private final InMemorySpanExporter spans = InMemorySpanExporter.create();
    private final OpenTelemetrySdk openTelemetry = OpenTelemetrySdk.builder()
            .setTracerProvider(SdkTracerProvider.builder().addSpanProcessor(SimpleSpanProcessor.create(spans)).build())
            .setPropagators(ContextPropagators.create(W3CTraceContextPropagator.getInstance()))
            .build();
    private final KafkaConfig config = KafkaTesting.config("anvil.kafka.retry-pause", "PT0.3S");
    private final SimpleMeterRegistry registry = new SimpleMeterRegistry();
    private final String group = "kit-" + UUID.randomUUID();
    /** What the handler saw as the current span, one per record. */
    private final List<SpanContext> seen = new CopyOnWriteArrayList<>();
    private String topic;
    private EventProducer producer;
    private EventConsumers consumers;

    @BeforeEach
    void start() throws Exception {
        topic = KafkaTesting.newTopic();
        producer = new EventProducer(InProcessKafka.bootstrapServers(), "kit-test", Map.of(), config, registry,
                openTelemetry);
        consumers = new EventConsumers(InProcessKafka.bootstrapServers(), Map.of(), config, producer, registry,
                openTelemetry);
    }

    @AfterEach
    void stop() throws InterruptedException {
        consumers.stopAll(null);
        producer.close();
        openTelemetry.close();
    }

    @Test
    void theHandlerRunsInAConsumerSpanWhoseParentIsTheProducersSpan() {
        Span request = openTelemetry.getTracer("test").spanBuilder("request").startSpan();
        try (Scope ignored = request.makeCurrent()) {
            producer.send(topic, "job-1", KafkaTesting.json(new TrainingCancelled("job-1", 1)));
        } finally {
            request.end();
        }
        consumers.start("kit-test consumer", topic, group, event -> seen.add(Span.current().getSpanContext()));
        SpanData process = await().atMost(WAIT).until(() -> finished(topic + " process"), Optional::isPresent).get();
        SpanData publish = finished(topic + " publish").orElseThrow();

        String traceId = request.getSpanContext().getTraceId();
        assertEquals(SpanKind.PRODUCER, publish.getKind());
        assertEquals(request.getSpanContext().getSpanId(), publish.getParentSpanId(), "sent in the caller's trace");
        assertEquals(SpanKind.CONSUMER, process.getKind());
        assertEquals(traceId, process.getTraceId());
        assertEquals(publish.getSpanId(), process.getParentSpanId(), "handled as the child of the send");
        assertTrue(process.getParentSpanContext().isRemote(), "the parent came from the record's headers");
        assertEquals(List.of(process.getSpanContext().getSpanId()), seen.stream().map(SpanContext::getSpanId).toList(),
                "the handler runs with the consumer span current");

        for (SpanData span : List.of(publish, process)) {
            assertEquals("kafka", span.getAttributes().get(KafkaTracing.SYSTEM));
            assertEquals(topic, span.getAttributes().get(KafkaTracing.DESTINATION));
            assertEquals("0", span.getAttributes().get(KafkaTracing.PARTITION));
            assertEquals(0L, span.getAttributes().get(KafkaTracing.OFFSET));
            assertEquals("job-1", span.getAttributes().get(KafkaTracing.KEY));
        }
        assertEquals(group, process.getAttributes().get(KafkaTracing.GROUP));
        assertEquals("handled", process.getAttributes().get(KafkaTracing.OUTCOME));
    }

    @Test
    void anOutboxRowIsSentInTheTraceItWasWrittenInEvenFromAThreadOutsideIt() {
        Span request = openTelemetry.getTracer("test").spanBuilder("request").startSpan();
        String traceparent;
        try (Scope ignored = request.makeCurrent()) {
            traceparent = Traceparent.current();
        } finally {
            request.end();
        }
        assertEquals("00-" + request.getSpanContext().getTraceId() + "-" + request.getSpanContext().getSpanId()
                + "-01", traceparent);
        assertTrue(traceparent.length() <= Traceparent.MAX_LENGTH);
        assertNull(Traceparent.current(), "outside any span");

        producer.send(topic, "row-1", "{}", traceparent);
        producer.send(topic, "row-2", "{}", null);

        List<ConsumerRecord<String, String>> records = read(topic, 2);
        SpanData publish = finished(topic + " publish").orElseThrow();
        assertEquals(request.getSpanContext().getSpanId(), publish.getParentSpanId());
        assertEquals(request.getSpanContext().getTraceId(), traceId(records.get(0)));
        assertEquals("00-" + publish.getTraceId() + "-" + publish.getSpanId() + "-01",
                header(records.get(0), "traceparent"), "the producer span's context, W3C");
        assertNotEquals(request.getSpanContext().getTraceId(), traceId(records.get(1)),
                "a row saved outside any trace starts a new one");
    }

    @Test
    void aDeadLetterCarriesTheTraceOfTheMessageAtFault() {
        Span request = openTelemetry.getTracer("test").spanBuilder("request").startSpan();
        try (Scope ignored = request.makeCurrent()) {
            producer.send(topic, "garbage", "{\"type\":");
        } finally {
            request.end();
        }
        consumers.start("kit-test consumer", topic, group, event -> seen.add(Span.current().getSpanContext()));
        ConsumerRecord<String, String> letter = read(Topics.deadLetter(topic), 1).get(0);

        assertEquals(request.getSpanContext().getTraceId(), traceId(letter));
        assertEquals(1, letter.headers().toArray().length - 2, "one traceparent beside the reason and topic");
        SpanData process = await().atMost(WAIT).until(() -> finished(topic + " process"), Optional::isPresent).get();
        assertEquals("dead-lettered", process.getAttributes().get(KafkaTracing.OUTCOME));
        SpanData deadLetter = finished(Topics.deadLetter(topic) + " publish").orElseThrow();
        assertEquals(process.getSpanId(), deadLetter.getParentSpanId(), "sent while handling the message");
        assertTrue(seen.isEmpty());
    }

    @Test
    void aMessageWithoutATraceIsHandledInANewOne() {
        EventProducer untraced = new EventProducer(InProcessKafka.bootstrapServers(), "kit-test", config, registry);
        try {
            untraced.send(topic, "job-1", KafkaTesting.json(new TrainingCancelled("job-1", 1)));
        } finally {
            untraced.close();
        }
        consumers.start("kit-test consumer", topic, group, event -> seen.add(Span.current().getSpanContext()));
        SpanData process = await().atMost(WAIT).until(() -> finished(topic + " process"), Optional::isPresent).get();

        assertFalse(process.getParentSpanContext().isValid(), "a root span");
        assertTrue(process.getSpanContext().isValid());
        assertEquals(process.getTraceId(), seen.get(0).getTraceId());
        assertFalse(Span.fromContext(Traceparent.context("not a traceparent")).getSpanContext().isValid(),
                "an unreadable saved trace also starts a new one");
    }

    private Optional<SpanData> finished(String name) {
        return spans.getFinishedSpanItems().stream().filter(s -> s.getName().equals(name)).findFirst();
    }

    private static List<ConsumerRecord<String, String>> read(String topic, int count) {
        List<ConsumerRecord<String, String>> records = new CopyOnWriteArrayList<>();
        try (KafkaConsumer<String, String> consumer = InProcessKafka.consumer(topic)) {
            await().atMost(WAIT).until(() -> {
                consumer.poll(Duration.ofMillis(200)).forEach(records::add);
                return records.size() >= count;
            });
        }
        return records;
    }

    private static String traceId(ConsumerRecord<String, String> record) {
        return header(record, "traceparent").split("-")[1];
    }

    private static String header(ConsumerRecord<String, String> record, String name) {
        Header header = record.headers().lastHeader(name);
        return header == null ? null : new String(header.value(), StandardCharsets.UTF_8);
    }
}
