package dev.anvil.events;

import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.anvil.events.datadir.DataNames;
import dev.anvil.events.evaluation.EvaluationCompleted;
import dev.anvil.events.training.Hyperparameters;
import dev.anvil.events.training.TrainingCompleted;
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
import static org.junit.jupiter.api.Assertions.assertNull;
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

    /** A TrainingRequested envelope whose data is {@code data}, as another writer could send it. */
    private static String request(String data) {
        return "{\"id\":\"1\",\"type\":\"TrainingRequested\",\"source\":\"cli\",\"time\":\"2026-11-28T10:00:00Z\","
                + "\"data\":{\"jobId\":\"j\",\"baseModel\":\"m\",\"dataset\":{\"name\":\"faq\",\"version\":\"v\"}" + data + "}}";
    }

    private static String refused(String json) {
        return assertThrows(InvalidEventException.class, () -> EventCodec.fromJson(json)).getMessage();
    }

    @Test
    void aRepeatedKeyIsAnErrorNamingItsPath() {
        String message = refused(request(",\"hyperparameters\":{\"maxSteps\":1,\"maxSteps\":2}"));
        assertTrue(message.startsWith("not JSON: duplicate field 'data.hyperparameters.maxSteps' (line 1, column "),
                message);
        assertTrue(refused(request(",\"jobId\":\"k\"")).startsWith("not JSON: duplicate field 'data.jobId'"));
    }

    @Test
    void aFractionIsNotAnInteger() {
        assertEquals("TrainingRequested: field 'hyperparameters.loraRank' must be an integer (32-bit)",
                refused(request(",\"hyperparameters\":{\"loraRank\":2.5}")));
        assertEquals("TrainingRequested: field 'hyperparameters.seed' must be an integer (64-bit)",
                refused(request(",\"hyperparameters\":{\"seed\":1.0}")));
        // An integer is a number, though.
        assertEquals(1.0, EventCodec.fromJson(request(",\"hyperparameters\":{\"learningRate\":1}"))
                .dataAs(TrainingRequested.class).hyperparameters().learningRate());
    }

    @Test
    void contentAfterTheMessageIsAnError() {
        String valid = request("");
        EventCodec.fromJson(valid + " \n");
        assertTrue(refused(valid + "{}").startsWith("not JSON: unexpected content after the JSON value (line 1,"),
                refused(valid + "{}"));
        assertTrue(refused(valid + "x").startsWith("not JSON: Unrecognized token 'x'"), refused(valid + "x"));
    }

    @Test
    void aWrongTypeNamesTheFieldByItsPathAndTheExpectedJsonType() {
        assertEquals("TrainingRequested: field 'hyperparameters.learningRate' must be a number",
                refused(request(",\"hyperparameters\":{\"learningRate\":\"abc\"}")));
        assertEquals("TrainingRequested: field 'hyperparameters.maxSteps' must be an integer (32-bit)",
                refused(request(",\"hyperparameters\":{\"maxSteps\":\"5\"}")));
        assertEquals("TrainingRequested: field 'hyperparameters.packing' must be true or false",
                refused(request(",\"hyperparameters\":{\"packing\":\"true\"}")));
        assertEquals("TrainingRequested: field 'hyperparameters.targetModules' must be an array",
                refused(request(",\"hyperparameters\":{\"targetModules\":\"q_proj\"}")));
        assertEquals("TrainingRequested: field 'hyperparameters' must be an object",
                refused(request(",\"hyperparameters\":5")));
        assertEquals("TrainingRequested: field 'merge' must be true or false", refused(request(",\"merge\":1")));
    }

    @Test
    void aControlCharacterInANameIsAnErrorThatDoesNotRepeatIt() {
        String message = refused(request("").replace("\"m\"", "\"m\\u0000\""));
        assertEquals("TrainingRequested: field 'baseModel' must not contain control characters (U+0000 at index 1)",
                message);
        assertTrue(refused(request("").replace("\"faq\"", "\"f\\u2028aq\"")).contains("'dataset.name'"));
        assertTrue(refused(request(",\"method\":\"lo\\u001bra\"")).contains("'lo\\u001Bra'"),
                "an echoed value has its control characters escaped");
        assertTrue(refused(request(",\"k\\u0000\":1,\"k\\u0000\":2"))
                .startsWith("not JSON: duplicate field 'data.k\\u0000' "));
        assertTrue(refused(request("") + " x\u0000").startsWith("not JSON: Unrecognized token 'x\\u0000'"));
    }

    @Test
    void theRouteIsOptionalAndWhereItIsNamedItIsAName() {
        assertNull(EventCodec.fromJson(request("")).dataAs(TrainingRequested.class).route());
        assertEquals("faq-assistant", EventCodec.fromJson(request(",\"route\":\"faq-assistant\""))
                .dataAs(TrainingRequested.class).route());
        assertEquals("TrainingRequested: route 'faq assistant' must match " + DataNames.PATTERN + " ("
                + DataNames.RULE + ")", refused(request(",\"route\":\"faq assistant\"")));
        assertTrue(refused(request(",\"route\":\"\"")).startsWith("TrainingRequested: route '' must match "));
        assertTrue(refused(request(",\"route\":\"" + "r".repeat(129) + "\""))
                .startsWith("TrainingRequested: route 'rrr"));
        assertTrue(refused(request(",\"route\":\"faq\\u0000\"")).startsWith("TrainingRequested: route 'faq\\u0000' "));
    }

    /** A writer that predates the route leaves it out; its events read as before, with no route. */
    @Test
    void eventsWithoutARouteReadAsRouteless() {
        TrainingCompleted done = (TrainingCompleted) Samples.all().get(5);
        assertEquals(new TrainingCompleted(done.jobId(), done.baseModel(), done.dataset(), done.method(),
                done.adapterPath(), done.mergedModelPath(), done.bestStep(), done.metrics()), withoutRoute(done));
        EvaluationCompleted evaluated = (EvaluationCompleted) Samples.all().get(8);
        assertEquals(new EvaluationCompleted(evaluated.evaluationId(), evaluated.modelVersion(),
                evaluated.baseModel(), evaluated.adapterPath(), evaluated.metrics(), evaluated.baseMetrics(),
                evaluated.verdict(), evaluated.reasons(), evaluated.reportPath()), withoutRoute(evaluated));
    }

    private static EventData withoutRoute(EventData data) {
        ObjectNode json = EventCodec.mapper().valueToTree(Envelope.wrap("anvil/test", data));
        assertEquals("support-bot", ((ObjectNode) json.get("data")).remove("route").asText());
        return EventCodec.fromJson(json.toString()).data();
    }

    /** Our own writers pass the strict reader: integers are written without a fraction, numbers as numbers. */
    @Test
    void ourOwnTrainingRequestIsWrittenInTheTypesTheReaderWants() {
        TrainingRequested sample = (TrainingRequested) Samples.all().get(1);
        String json = EventCodec.toJson(Envelope.wrap("anvil/test", sample));
        assertTrue(json.contains("\"loraRank\":16,") && json.contains("\"seed\":7,")
                && json.contains("\"learningRate\":0.001,") && json.contains("\"packing\":true,"), json);
        assertEquals(sample, EventCodec.fromJson(json).data());
    }
}
