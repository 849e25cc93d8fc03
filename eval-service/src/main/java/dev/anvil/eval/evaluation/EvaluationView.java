package dev.anvil.eval.evaluation;

import com.fasterxml.jackson.annotation.JsonInclude;
import com.fasterxml.jackson.core.type.TypeReference;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.anvil.eval.verdict.Policy;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.time.Instant;
import java.util.List;
import java.util.Map;

/**
 * An evaluation as the API shows it. {@code examples} is present on {@code GET /evaluations/{id}} only.
 *
 * @param metrics {@code candidate} and {@code baseline}, each metric name to value, once completed
 */
@JsonInclude(JsonInclude.Include.NON_NULL)
public record EvaluationView(String id, String status, String modelVersion, String route, ModelUnderTest candidate,
                             ModelUnderTest baseline, EvaluationRequest.DatasetSpec dataset, int maxExamples,
                             GenerationSettings generation, Policy policy, Progress progress,
                             Map<String, Map<String, Double>> metrics, String verdict, List<String> reasons,
                             String error, int attempts, Instant createdAt, Instant startedAt, Instant finishedAt,
                             List<ExampleView> examples) {
    static final ObjectMapper JSON = new ObjectMapper();
    private static final TypeReference<Map<String, Double>> METRICS = new TypeReference<>() {
    };
    private static final TypeReference<List<String>> LINES = new TypeReference<>() {
    };

    /** Where a running evaluation is: {@code phase} ({@code candidate.scoring}, ...), examples done of total. */
    public record Progress(String phase, int done, int total) {
        static Progress of(Evaluation e) {
            return e.status != EvaluationStatus.RUNNING || e.phase == null ? null
                    : new Progress(e.phase, e.progressDone == null ? 0 : e.progressDone,
                    e.progressTotal == null ? 0 : e.progressTotal);
        }
    }

    /**
     * One example: its line in the validation split, its reference answer, each side's mean NLL per token, answer
     * and sentence-level scores of that answer.
     */
    public record ExampleView(long line, String reference, int tokens, Double baselineNll, Double candidateNll,
                              String baselineOutput, String candidateOutput, Map<String, Double> baselineScores,
                              Map<String, Double> candidateScores) {
        static ExampleView of(EvaluationExample e) {
            return new ExampleView(e.line, e.reference, e.tokens, e.baselineNll, e.candidateNll, e.baselineOutput,
                    e.candidateOutput, e.baselineScoresJson == null ? null : read(e.baselineScoresJson, METRICS),
                    e.candidateScoresJson == null ? null : read(e.candidateScoresJson, METRICS));
        }
    }

    static EvaluationView of(Evaluation e, List<EvaluationExample> examples) {
        Map<String, Map<String, Double>> metrics = e.metricsJson == null ? null
                : Map.of("candidate", read(e.metricsJson, METRICS), "baseline", read(e.baseMetricsJson, METRICS));
        return new EvaluationView(e.id, e.status.wireName(), e.modelVersion, e.route, e.candidate(), e.baseline(),
                new EvaluationRequest.DatasetSpec(e.datasetName, e.datasetVersion), e.maxExamples,
                e.generationJson == null ? null : read(e.generationJson, GenerationSettings.class),
                e.policyJson == null ? null : read(e.policyJson, Policy.class), Progress.of(e), metrics, e.verdict,
                e.reasonsJson == null ? null : read(e.reasonsJson, LINES), e.error, e.attempts, e.createdAt,
                e.startedAt, e.finishedAt, examples == null ? null : examples.stream().map(ExampleView::of).toList());
    }

    static <T> T read(String json, Class<T> type) {
        try {
            return JSON.readValue(json, type);
        } catch (IOException e) {
            throw new UncheckedIOException("stored JSON is unreadable: " + e.getMessage(), e);
        }
    }

    private static <T> T read(String json, TypeReference<T> type) {
        try {
            return JSON.readValue(json, type);
        } catch (IOException e) {
            throw new UncheckedIOException("stored JSON is unreadable: " + e.getMessage(), e);
        }
    }

    static String write(Object value) {
        try {
            return JSON.writeValueAsString(value);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }
}
