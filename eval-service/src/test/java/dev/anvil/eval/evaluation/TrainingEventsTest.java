package dev.anvil.eval.evaluation;

import dev.anvil.eval.testing.EvalDataDir;
import dev.anvil.events.DeadLetters;
import dev.anvil.events.Envelope;
import dev.anvil.events.EventCodec;
import dev.anvil.events.EventData;
import dev.anvil.events.Topics;
import dev.anvil.events.evaluation.EvaluationCompleted;
import dev.anvil.events.evaluation.Verdict;
import dev.anvil.events.testing.InProcessKafka;
import dev.anvil.events.testing.PrometheusText;
import dev.anvil.events.training.DatasetRef;
import dev.anvil.events.training.TrainingCompleted;
import dev.anvil.events.training.TrainingFailed;
import dev.anvil.events.training.TrainingMethod;
import dev.anvil.events.training.TrainingStarted;
import dev.anvil.service.kafka.KafkaConsumersReadiness;
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
import java.util.List;
import java.util.Map;
import java.util.UUID;

import static io.restassured.RestAssured.given;
import static org.awaitility.Awaitility.await;
import static org.hamcrest.Matchers.equalTo;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * training.events in, evaluation.events out, on the in-process broker: a TrainingCompleted is evaluated once (a
 * redelivery starts nothing new) and its EvaluationCompleted carries both sides' metrics, the verdict, every reason
 * and the job's route; a job's other events are ignored; what cannot be taken is dead-lettered; what the event names
 * but the data directory lacks gives a failed evaluation whose FAIL is published with the reason. {@code /q/metrics}
 * counts each of these, and the service is ready while its consumer runs and the broker answers. The verdict
 * continues the trace of the TrainingCompleted it answers (its traceparent header).
 */
@QuarkusTest
@QuarkusTestResource(value = EvalDataDir.class, restrictToAnnotatedClass = false)
class TrainingEventsTest {
    static final Duration WAIT = Duration.ofSeconds(90);

    static TrainingCompleted completed(String jobId, String baseModel, String adapterPath) {
        return completed(jobId, baseModel, adapterPath, null);
    }

    static TrainingCompleted completed(String jobId, String baseModel, String adapterPath, String route) {
        return new TrainingCompleted(jobId, baseModel, new DatasetRef(EvalDataDir.DATASET, EvalDataDir.VERSION),
                TrainingMethod.LORA, adapterPath, null, 10, Map.of("validationLoss", 0.5), route);
    }

    /** Publishes to one partition, so that a later message there is handled after it. */
    static void send(KafkaProducer<String, String> producer, int partition, EventData data) throws Exception {
        send(producer, partition, data, null);
    }

    /** {@link #send(KafkaProducer, int, EventData)} in a trace: with a W3C traceparent header, as the trainer sends. */
    static void send(KafkaProducer<String, String> producer, int partition, EventData data, String traceparent)
            throws Exception {
        ProducerRecord<String, String> r = EventCodec.toRecord(Envelope.wrap("anvil/test", data));
        ProducerRecord<String, String> record = new ProducerRecord<>(Topics.TRAINING_EVENTS, partition, r.key(),
                r.value());
        if (traceparent != null) record.headers().add("traceparent", traceparent.getBytes(StandardCharsets.UTF_8));
        producer.send(record).get();
    }

    /** The trace id of a record's traceparent header. */
    static String traceId(ConsumerRecord<String, String> record) {
        return new String(record.headers().lastHeader("traceparent").value(), StandardCharsets.UTF_8).split("-")[1];
    }

    static List<Map<String, Object>> evaluationsOf(String modelVersion) {
        return given().queryParam("modelVersion", modelVersion).get("/evaluations").then().statusCode(200)
                .extract().jsonPath().getList("");
    }

    /** Polls {@code topic} until a message keyed by each of {@code keys} has arrived. */
    static Map<String, ConsumerRecord<String, String>> awaitKeys(KafkaConsumer<String, String> consumer,
                                                                 String... keys) {
        Map<String, ConsumerRecord<String, String>> found = new HashMap<>();
        List<String> wanted = List.of(keys);
        long deadline = System.nanoTime() + WAIT.toNanos();
        while (System.nanoTime() < deadline && !found.keySet().containsAll(wanted)) {
            for (ConsumerRecord<String, String> r : consumer.poll(Duration.ofMillis(500))) {
                if (wanted.contains(r.key())) found.put(r.key(), r);
            }
        }
        assertTrue(found.keySet().containsAll(wanted), "messages keyed " + wanted + " expected; got " + found.keySet());
        return found;
    }

    static PrometheusText metrics() {
        return PrometheusText.parse(given().get("/q/metrics").then().statusCode(200).extract().asString());
    }

    /** {@code metrics()} once {@code name{labels}} grew past its value on {@code before}. */
    static PrometheusText awaitGrown(PrometheusText before, String name, String... labels) {
        return await().atMost(Duration.ofSeconds(10)).until(TrainingEventsTest::metrics,
                page -> page.value(name, labels) > before.value(name, labels));
    }

    static EvaluationCompleted decode(ConsumerRecord<String, String> record) {
        return (EvaluationCompleted) EventCodec.fromJson(record.value()).data();
    }

    @Test
    void aCompletedJobIsEvaluatedOnceAndItsVerdictPublished() throws Exception {
        String suffix = UUID.randomUUID().toString().substring(0, 8);
        String job = "trained-" + suffix;
        String marker = "marker-" + suffix;
        String failed = "failed-" + suffix;
        String adapter = EvalDataDir.linkGoldenRun(job);
        String markerAdapter = EvalDataDir.linkGoldenRun(marker);
        PrometheusText before = metrics();
        try (KafkaProducer<String, String> producer = InProcessKafka.producer();
             KafkaConsumer<String, String> results = InProcessKafka.consumer(Topics.EVALUATION_EVENTS)) {
            send(producer, 0, new TrainingStarted(job, 0, 10));
            // In the trainer's trace: the verdict, published later from the evaluation's row, continues it.
            String trainerTrace = UUID.randomUUID().toString().replace("-", "");
            send(producer, 0, completed(job, EvalDataDir.MODEL, adapter, "faq-assistant"),
                    "00-" + trainerTrace + "-00f067aa0ba902b7-01");
            ConsumerRecord<String, String> verdictRecord = awaitKeys(results, job).get(job);
            assertEquals(trainerTrace, traceId(verdictRecord), "one trace from the trainer through eval's outbox");
            EvaluationCompleted done = decode(verdictRecord);
            assertEquals(job, done.modelVersion());
            assertEquals("faq-assistant", done.route());
            assertEquals(EvalDataDir.MODEL, done.baseModel());
            assertEquals(adapter, done.adapterPath());
            assertTrue(done.metrics().containsKey("perplexity") && done.baseMetrics().containsKey("perplexity"));
            assertTrue(done.metrics().containsKey("tokenF1") && done.metrics().containsKey("repetitionRate"));
            List<String> rules = done.reasons().stream().map(r -> r.substring(0, r.indexOf(':'))).toList();
            assertEquals(List.of("perplexity", "taskMetric", "emptyAnswers", "repetition"), rules, done.reasons().toString());
            boolean allPass = done.reasons().stream().allMatch(r -> r.endsWith(": pass"));
            assertEquals(allPass ? Verdict.PASS : Verdict.FAIL, done.verdict(), done.reasons().toString());

            Map<String, Object> stored = evaluationsOf(job).get(0);
            assertEquals("completed", stored.get("status"));
            assertEquals(done.verdict().wireName(), stored.get("verdict"));
            assertEquals(done.reasons(), stored.get("reasons"));
            assertEquals("faq-assistant", stored.get("route"));

            // Counted as it was written, timed just after: one run started, completed with its verdict, its
            // examples scored; the event consumed and the verdict sent.
            String verdict = done.verdict().wireName();
            PrometheusText after = awaitGrown(before, "anvil_eval_evaluation_duration_seconds_count",
                    "outcome", "completed");
            assertEquals(1, after.value("anvil_eval_evaluations_completed_total", "verdict", verdict)
                    - before.value("anvil_eval_evaluations_completed_total", "verdict", verdict));
            assertEquals(1, after.value("anvil_eval_evaluations_started_total")
                    - before.value("anvil_eval_evaluations_started_total"));
            assertTrue(after.value("anvil_eval_examples_scored_total")
                    > before.value("anvil_eval_examples_scored_total"));
            assertTrue(after.value("anvil_eval_evaluation_duration_seconds_sum", "outcome", "completed")
                    > before.value("anvil_eval_evaluation_duration_seconds_sum", "outcome", "completed"));
            assertTrue(after.value("anvil_kafka_consumed_total", "topic", Topics.TRAINING_EVENTS, "outcome", "handled")
                    >= before.value("anvil_kafka_consumed_total", "topic", Topics.TRAINING_EVENTS, "outcome", "handled")
                    + 2, "TrainingStarted and TrainingCompleted");
            assertTrue(after.value("anvil_kafka_produced_total", "topic", Topics.EVALUATION_EVENTS, "outcome", "sent")
                    >= 1);

            // The same event again, a failed job's event, then a marker behind them on the same partition: once the
            // marker is evaluated, the others were handled, and they started nothing.
            send(producer, 0, completed(job, EvalDataDir.MODEL, adapter));
            send(producer, 0, new TrainingFailed(failed, "out of memory"));
            send(producer, 0, completed(marker, EvalDataDir.MODEL, markerAdapter));
            assertNull(decode(awaitKeys(results, marker).get(marker)).route(), "a job that named no route");
            assertEquals(1, evaluationsOf(job).size());
            assertEquals(0, evaluationsOf(failed).size());
        }
    }

    @Test
    void whatCannotBeEvaluatedFailsWithItsReasonAndGarbageIsDeadLettered() throws Exception {
        String suffix = UUID.randomUUID().toString().substring(0, 8);
        String garbageKey = "garbage-" + suffix;
        String escaping = "escaping-" + suffix;
        String noBase = "no-base-" + suffix;
        String otherBase = "other-base-" + suffix;
        String adapter = EvalDataDir.linkGoldenRun(otherBase);
        PrometheusText before = metrics();
        try (KafkaProducer<String, String> producer = InProcessKafka.producer();
             KafkaConsumer<String, String> dlq = InProcessKafka.consumer(Topics.deadLetter(Topics.TRAINING_EVENTS));
             KafkaConsumer<String, String> results = InProcessKafka.consumer(Topics.EVALUATION_EVENTS)) {
            producer.send(new ProducerRecord<>(Topics.TRAINING_EVENTS, 1, garbageKey, "{not json")).get();
            send(producer, 1, completed(escaping, EvalDataDir.MODEL, "../../etc"));
            send(producer, 1, completed(noBase, "no-such-model", adapter));
            send(producer, 1, completed(otherBase, EvalDataDir.OTHER_MODEL, adapter));

            Map<String, ConsumerRecord<String, String>> verdicts = awaitKeys(results, noBase, otherBase);
            EvaluationCompleted missing = decode(verdicts.get(noBase));
            assertEquals(Verdict.FAIL, missing.verdict());
            assertTrue(missing.reasons().get(0).startsWith("not evaluated: ") && missing.reasons().get(0)
                    .contains("'no-such-model'"), missing.reasons().toString());
            EvaluationCompleted mismatch = decode(verdicts.get(otherBase));
            assertEquals(Verdict.FAIL, mismatch.verdict());
            assertTrue(mismatch.reasons().get(0).contains("the adapter was trained on 'aidreams260K'"),
                    mismatch.reasons().toString());
            assertEquals("failed", evaluationsOf(noBase).get(0).get("status"));

            Map<String, ConsumerRecord<String, String>> dead = awaitKeys(dlq, garbageKey, escaping);
            assertEquals("{not json", dead.get(garbageKey).value());
            String reason = new String(dead.get(escaping).headers().lastHeader(DeadLetters.REASON_HEADER).value(),
                    StandardCharsets.UTF_8);
            assertTrue(reason.contains("adapterPath leads outside the data directory"), reason);
            assertEquals(0, evaluationsOf(escaping).size());

            // Both refusals count as failed evaluations; the garbage and the escaping path as dead letters (counted
            // just after their send).
            String consumed = "anvil_kafka_consumed_total";
            String[] deadLetters = {"topic", Topics.TRAINING_EVENTS, "outcome", "dead-lettered"};
            PrometheusText after = await().atMost(Duration.ofSeconds(10)).until(TrainingEventsTest::metrics,
                    page -> page.value(consumed, deadLetters) - before.value(consumed, deadLetters) >= 2);
            assertEquals(2, after.value(consumed, deadLetters) - before.value(consumed, deadLetters));
            assertTrue(after.value("anvil_eval_evaluations_failed_total")
                    - before.value("anvil_eval_evaluations_failed_total") >= 2);
        }
    }

    @Test
    void readyWhileTheConsumerRunsAndTheBrokerAnswers() {
        given().get("/q/health/ready").then().statusCode(200).body("status", equalTo("UP"))
                .body("checks.find { it.name == '" + KafkaConsumersReadiness.NAME + "' }.status", equalTo("UP"))
                .body("checks.find { it.name.contains('Kafka connection') }.status", equalTo("UP"));
    }
}
