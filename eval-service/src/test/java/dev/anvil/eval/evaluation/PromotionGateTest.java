package dev.anvil.eval.evaluation;

import dev.anvil.eval.testing.EvalDataDir;
import dev.anvil.eval.testing.TrainedAdapter;
import dev.anvil.events.Topics;
import dev.anvil.events.evaluation.EvaluationCompleted;
import dev.anvil.events.evaluation.Verdict;
import dev.anvil.events.testing.InProcessKafka;
import io.quarkus.test.common.QuarkusTestResource;
import io.quarkus.test.junit.QuarkusTest;
import org.apache.kafka.clients.consumer.KafkaConsumer;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.junit.jupiter.api.Test;

import java.util.UUID;

import static dev.anvil.eval.evaluation.TrainingEventsTest.awaitKeys;
import static dev.anvil.eval.evaluation.TrainingEventsTest.completed;
import static dev.anvil.eval.evaluation.TrainingEventsTest.decode;
import static dev.anvil.eval.evaluation.TrainingEventsTest.send;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * The gate on the in-process broker, with the configured default policy: two adapters trained on the real model
 * (llm-runtime's training step, {@link TrainedAdapter}), one on the right answers to colour questions, one on an
 * answer that ignores the question, each announced by a TrainingCompleted. The helpful one passes every rule; the
 * other fails, and its reasons say which rules and by how much.
 */
@QuarkusTest
@QuarkusTestResource(value = EvalDataDir.class, restrictToAnnotatedClass = false)
class PromotionGateTest {

    @Test
    void aHelpfulAdapterPassesAndOneTrainedOnWrongAnswersFails() throws Exception {
        String suffix = UUID.randomUUID().toString().substring(0, 8);
        String helpful = "helpful-" + suffix;
        String wrong = "wrong-" + suffix;
        TrainedAdapter.train(EvalDataDir.current().resolve("runs").resolve(helpful).resolve("adapter"),
                TrainedAdapter::rightAnswer, 40);
        TrainedAdapter.train(EvalDataDir.current().resolve("runs").resolve(wrong).resolve("adapter"),
                TrainedAdapter::wrongAnswer, 40);
        try (KafkaProducer<String, String> producer = InProcessKafka.producer();
             KafkaConsumer<String, String> results = InProcessKafka.consumer(Topics.EVALUATION_EVENTS)) {
            send(producer, 2, completed(helpful, EvalDataDir.MODEL, "runs/" + helpful + "/adapter"));
            send(producer, 2, completed(wrong, EvalDataDir.MODEL, "runs/" + wrong + "/adapter"));
            var verdicts = awaitKeys(results, helpful, wrong);

            EvaluationCompleted good = decode(verdicts.get(helpful));
            System.out.println("helpful adapter: " + good.verdict() + " " + good.reasons());
            assertEquals(Verdict.PASS, good.verdict(), good.reasons().toString());
            assertEquals(4, good.reasons().size());
            assertTrue(good.reasons().stream().allMatch(r -> r.endsWith(": pass")), good.reasons().toString());
            assertTrue(good.metrics().get("perplexity") < 0.5 * good.baseMetrics().get("perplexity"),
                    "perplexity " + good.metrics().get("perplexity") + " vs base " + good.baseMetrics().get("perplexity"));
            assertTrue(good.metrics().get("tokenF1") > good.baseMetrics().get("tokenF1") + 0.3, metrics(good));

            EvaluationCompleted bad = decode(verdicts.get(wrong));
            System.out.println("adapter trained on wrong answers: " + bad.verdict() + " " + bad.reasons());
            assertEquals(Verdict.FAIL, bad.verdict(), bad.reasons().toString());
            String perplexity = bad.reasons().get(0);
            assertTrue(perplexity.startsWith("perplexity: ") && perplexity.contains("higher")
                    && perplexity.endsWith(": fail"), perplexity);
            assertTrue(bad.metrics().get("perplexity") > bad.baseMetrics().get("perplexity"), metrics(bad));
        }
    }

    private static String metrics(EvaluationCompleted e) {
        return "candidate " + e.metrics() + " / base " + e.baseMetrics();
    }
}
