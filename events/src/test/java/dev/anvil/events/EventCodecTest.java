package dev.anvil.events;

import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.anvil.events.training.Hyperparameters;
import dev.anvil.events.training.TrainingMethod;
import dev.anvil.events.training.TrainingRequested;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.MethodSource;

import java.nio.charset.StandardCharsets;
import java.util.List;
import java.util.Set;
import java.util.stream.Collectors;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

class EventCodecTest {

    static List<EventData> samples() {
        return Samples.all();
    }

    @Test
    void samplesCoverEveryMessageType() {
        Set<Class<?>> sampled = Samples.all().stream().map(Object::getClass).collect(Collectors.toSet());
        Set<Class<?>> contract = MessageTypes.ALL.stream().map(MessageTypes.MessageType::type)
                .collect(Collectors.toSet());
        assertEquals(contract, sampled);
    }

    @ParameterizedTest
    @MethodSource("samples")
    void roundTripsEveryMessageType(EventData data) {
        Envelope sent = Envelope.wrap("anvil/test", data);
        Envelope received = EventCodec.fromJson(EventCodec.toJson(sent));
        assertEquals(sent, received);
        assertEquals(data.getClass().getSimpleName(), received.type());
        assertEquals(Envelope.SCHEMA_VERSION, received.schemaVersion());
    }

    @ParameterizedTest
    @MethodSource("samples")
    void recordIsKeyedBySubjectOnTheTopicOfItsType(EventData data) {
        ProducerRecord<String, String> record = EventCodec.toRecord(Envelope.wrap("anvil/test", data));
        assertEquals(data.subject(), record.key());
        assertEquals(MessageTypes.topicOf(data.getClass()), record.topic());
        assertTrue(Topics.ALL.contains(record.topic()));
    }

    @Test
    void toleratesUnknownFieldsOfANewerWriter() {
        ObjectNode json = (ObjectNode) EventCodec.mapper().valueToTree(
                Envelope.wrap("anvil/test", Samples.all().get(1)));
        json.put("schemaVersion", 2).put("traceparent", "00-abc-def-01");
        ((ObjectNode) json.get("data")).put("priority", "high").putObject("futureBlock").put("x", 1);
        Envelope read = EventCodec.fromJson(json.toString());
        assertEquals("job-42", read.dataAs(TrainingRequested.class).jobId());
        assertEquals(2, read.schemaVersion());
    }

    @Test
    void missingRequiredFieldIsAClearError() {
        String json = """
                {"id":"1","type":"TrainingRequested","source":"cli","time":"2026-11-28T10:00:00Z",
                 "subject":"job-1","schemaVersion":1,
                 "data":{"jobId":"job-1","dataset":{"name":"faq","version":"abc"}}}""";
        InvalidEventException e = assertThrows(InvalidEventException.class, () -> EventCodec.fromJson(json));
        assertEquals("TrainingRequested: missing required field 'baseModel'", e.getMessage());
    }

    @Test
    void missingNestedFieldNamesItsPath() {
        String json = """
                {"id":"1","type":"TrainingRequested","source":"cli","time":"2026-11-28T10:00:00Z",
                 "data":{"jobId":"job-1","baseModel":"m","dataset":{"name":"faq"}}}""";
        InvalidEventException e = assertThrows(InvalidEventException.class, () -> EventCodec.fromJson(json));
        assertTrue(e.getMessage().contains("'dataset.version'"), e.getMessage());
    }

    @Test
    void missingEnvelopeFieldUnknownTypeAndGarbageAreClearErrors() {
        assertEquals("missing required envelope field 'type'",
                assertThrows(InvalidEventException.class, () -> EventCodec.fromJson("{\"id\":\"1\"}")).getMessage());
        assertEquals("unknown message type 'Nope'", assertThrows(InvalidEventException.class,
                () -> EventCodec.fromJson("{\"type\":\"Nope\",\"data\":{}}")).getMessage());
        assertTrue(assertThrows(InvalidEventException.class, () -> EventCodec.fromJson("{not json"))
                .getMessage().startsWith("not JSON"));
        assertEquals("empty message",
                assertThrows(InvalidEventException.class, () -> EventCodec.fromJson("")).getMessage());
    }

    @Test
    void wrongEnumValueNamesTheAllowedOnes() {
        String json = """
                {"id":"1","type":"TrainingRequested","source":"cli","time":"2026-11-28T10:00:00Z",
                 "data":{"jobId":"j","baseModel":"m","dataset":{"name":"faq","version":"v"},"method":"dpo"}}""";
        InvalidEventException e = assertThrows(InvalidEventException.class, () -> EventCodec.fromJson(json));
        assertTrue(e.getMessage().contains("unknown training method 'dpo'"), e.getMessage());
    }

    @Test
    void trainingRequestDefaultsTheMethodAndHyperparameters() {
        String json = """
                {"id":"1","type":"TrainingRequested","source":"cli","time":"2026-11-28T10:00:00Z",
                 "data":{"jobId":"j","baseModel":"aidreams260K","dataset":{"name":"faq","version":"v"}}}""";
        TrainingRequested request = EventCodec.fromJson(json.getBytes(StandardCharsets.UTF_8))
                .dataAs(TrainingRequested.class);
        assertEquals(TrainingMethod.QLORA, request.method());
        assertEquals(Hyperparameters.DEFAULTS, request.hyperparameters().withDefaults());
        assertEquals("j", EventCodec.fromJson(json).subject(), "subject falls back to the payload's");
    }

    @Test
    void dataAsTheWrongTypeIsAClearError() {
        Envelope envelope = Envelope.wrap("anvil/test", Samples.all().get(0));
        InvalidEventException e = assertThrows(InvalidEventException.class,
                () -> envelope.dataAs(TrainingRequested.class));
        assertEquals("expected a TrainingRequested message but got DatasetVersionCreated", e.getMessage());
    }
}
