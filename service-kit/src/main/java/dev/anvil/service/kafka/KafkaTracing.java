package dev.anvil.service.kafka;

import dev.anvil.service.kafka.ConsumerMeters.Outcome;
import dev.anvil.service.tracing.BackgroundSpans;
import io.opentelemetry.api.OpenTelemetry;
import io.opentelemetry.api.common.AttributeKey;
import io.opentelemetry.api.trace.Span;
import io.opentelemetry.api.trace.SpanKind;
import io.opentelemetry.api.trace.StatusCode;
import io.opentelemetry.api.trace.Tracer;
import io.opentelemetry.context.Context;
import io.opentelemetry.context.propagation.TextMapGetter;
import io.opentelemetry.context.propagation.TextMapPropagator;
import io.opentelemetry.context.propagation.TextMapSetter;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.clients.producer.RecordMetadata;
import org.apache.kafka.common.header.Header;
import org.apache.kafka.common.header.Headers;
import org.apache.kafka.common.header.internals.RecordHeaders;

import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;

/**
 * Carries a trace through Kafka (docs/tracing.md): a PRODUCER span {@code <topic> publish} around each send, whose
 * context the configured propagator (W3C {@code traceparent}/{@code tracestate} by default) writes into the
 * record's headers, and a CONSUMER span {@code <topic> process} around each handling, the child of the context read
 * back from them. Attribute names follow OpenTelemetry's messaging conventions.
 */
final class KafkaTracing {
    static final AttributeKey<String> SYSTEM = AttributeKey.stringKey("messaging.system");
    static final AttributeKey<String> DESTINATION = AttributeKey.stringKey("messaging.destination.name");
    static final AttributeKey<String> OPERATION = AttributeKey.stringKey("messaging.operation");
    static final AttributeKey<String> PARTITION = AttributeKey.stringKey("messaging.destination.partition.id");
    static final AttributeKey<Long> OFFSET = AttributeKey.longKey("messaging.kafka.message.offset");
    static final AttributeKey<String> KEY = AttributeKey.stringKey("messaging.kafka.message.key");
    static final AttributeKey<String> GROUP = AttributeKey.stringKey("messaging.consumer.group.name");
    /** How the handling ended, as {@code anvil.kafka.consumed} counts it: handled, dead-lettered or failed. */
    static final AttributeKey<String> OUTCOME = AttributeKey.stringKey("anvil.kafka.outcome");

    private final Tracer tracer;
    private final TextMapPropagator propagator;

    KafkaTracing(OpenTelemetry openTelemetry) {
        this.tracer = openTelemetry.getTracer(BackgroundSpans.SCOPE);
        this.propagator = openTelemetry.getPropagators().getTextMapPropagator();
    }

    /** Starts the PRODUCER span of a send, the child of the current context. */
    Span startSend(ProducerRecord<String, String> record) {
        return tracer.spanBuilder(record.topic() + " publish").setSpanKind(SpanKind.PRODUCER)
                .setAttribute(SYSTEM, "kafka").setAttribute(DESTINATION, record.topic())
                .setAttribute(OPERATION, "publish").setAttribute(KEY, record.key()).startSpan();
    }

    /**
     * A copy of {@code record} whose headers carry {@code span}'s context instead of any the record had (a record
     * handed back by the client after a send is read-only, and a dead letter is a copy of a traced message).
     */
    ProducerRecord<String, String> withContext(ProducerRecord<String, String> record, Span span) {
        Headers headers = new RecordHeaders(record.headers().toArray());
        propagator.fields().forEach(headers::remove);
        propagator.inject(Context.current().with(span), headers, HeaderCarrier.INSTANCE);
        return new ProducerRecord<>(record.topic(), record.partition(), record.timestamp(), record.key(),
                record.value(), headers);
    }

    static void sent(Span span, RecordMetadata metadata) {
        span.setAttribute(PARTITION, String.valueOf(metadata.partition()));
        if (metadata.hasOffset()) span.setAttribute(OFFSET, metadata.offset());
    }

    /** Starts the CONSUMER span of a record's handling, the child of the context in its headers (if any). */
    Span startProcess(ConsumerRecord<String, String> record, String group) {
        Context sender = propagator.extract(Context.root(), record.headers(), HeaderCarrier.INSTANCE);
        return tracer.spanBuilder(record.topic() + " process").setSpanKind(SpanKind.CONSUMER).setParent(sender)
                .setAttribute(SYSTEM, "kafka").setAttribute(DESTINATION, record.topic())
                .setAttribute(OPERATION, "process").setAttribute(GROUP, group)
                .setAttribute(PARTITION, String.valueOf(record.partition()))
                .setAttribute(OFFSET, record.offset()).setAttribute(KEY, record.key()).startSpan();
    }

    /** Ends a handling's span with its outcome; a failure (the record is tried again) is an error. */
    static void processed(Span span, Outcome outcome, RuntimeException failure) {
        span.setAttribute(OUTCOME, outcome.tag());
        if (failure != null) span.recordException(failure);
        if (outcome == Outcome.FAILED) span.setStatus(StatusCode.ERROR);
        span.end();
    }

    /** Ends a send's span; {@code failure} is null when the broker acknowledged it. */
    static void ended(Span span, Throwable failure) {
        if (failure != null) {
            span.recordException(failure);
            span.setStatus(StatusCode.ERROR);
        }
        span.end();
    }

    /** Record headers as the propagator's carrier: UTF-8 values, the last header of a name wins. */
    private enum HeaderCarrier implements TextMapGetter<Headers>, TextMapSetter<Headers> {
        INSTANCE;

        @Override
        public Iterable<String> keys(Headers headers) {
            List<String> keys = new ArrayList<>();
            for (Header header : headers) keys.add(header.key());
            return keys;
        }

        @Override
        public String get(Headers headers, String key) {
            Header header = headers == null ? null : headers.lastHeader(key);
            return header == null || header.value() == null ? null
                    : new String(header.value(), StandardCharsets.UTF_8);
        }

        @Override
        public void set(Headers headers, String key, String value) {
            headers.remove(key);
            headers.add(key, value.getBytes(StandardCharsets.UTF_8));
        }
    }
}
