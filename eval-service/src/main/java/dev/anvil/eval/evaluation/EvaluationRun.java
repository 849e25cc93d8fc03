package dev.anvil.eval.evaluation;

import dev.anvil.eval.metric.DegenerateAnswers;
import dev.anvil.eval.metric.GenerationMetrics;
import dev.anvil.eval.metric.GenerationScores;
import dev.anvil.llm.data.Conversation;
import dev.anvil.llm.data.TokenizedExample;
import dev.anvil.llm.generate.Generation;
import dev.anvil.llm.generate.GenerationRequest;
import dev.anvil.llm.generate.TokenListener;
import dev.anvil.llm.score.Perplexity;
import dev.anvil.llm.score.TokenScores;
import dev.anvil.llm.text.ChatMessage;

import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * One evaluation as plain steps, on the caller's thread and without the database. For each side: score every
 * conversation with the rendering and masking of training (perplexity), then answer every conversation's prompt
 * (the messages before its last assistant reply) and compare the answers with those replies (generation metrics).
 * {@code checkpoint} is told where the run is between chunks of examples (the runner records the progress there and
 * checks its lease: it throws to stop a run whose lease was lost).
 */
final class EvaluationRun {
    /** Examples scored, or answered as one batch, between two checks. */
    static final int CHUNK = 16;

    /** One example's outcome; a side's values are null where it had nothing to score or no room to answer. */
    record ExampleScore(long line, String reference, int tokens, Double baselineNll, Double candidateNll,
                        String baselineOutput, String candidateOutput, Map<String, Double> baselineScores,
                        Map<String, Double> candidateScores) {
    }

    record Outcome(Map<String, Double> candidate, Map<String, Double> baseline, List<ExampleScore> examples) {
    }

    /** Told where the run is: {@code phase} is the side's label and the step ({@code candidate.scoring}, ...). */
    @FunctionalInterface
    interface Checkpoint {
        void reached(String phase, int done, int total);
    }

    private final List<Conversation> conversations;
    private final List<String> references;
    private final GenerationSettings generation;
    private final Checkpoint checkpoint;

    EvaluationRun(List<Conversation> conversations, GenerationSettings generation, Checkpoint checkpoint) {
        if (conversations.isEmpty()) throw new IllegalArgumentException("the validation split has no example to score");
        this.conversations = List.copyOf(conversations);
        this.references = this.conversations.stream().map(ValidationSplit::reference).toList();
        this.generation = generation;
        this.checkpoint = checkpoint;
    }

    Outcome run(SideModel candidate, SideModel baseline) {
        Side c = evaluate(candidate);
        Side b = evaluate(baseline);
        List<ExampleScore> examples = new ArrayList<>(conversations.size());
        for (int i = 0; i < conversations.size(); i++) {
            examples.add(new ExampleScore(conversations.get(i).line(), references.get(i), c.tokens[i], b.meanNll(i),
                    c.meanNll(i), b.answers[i], c.answers[i], b.exampleScores(i), c.exampleScores(i)));
        }
        return new Outcome(c.metrics, b.metrics, examples);
    }

    /** What one side did on every conversation. */
    private final class Side {
        final TokenScores[] scores = new TokenScores[conversations.size()];
        final int[] tokens = new int[conversations.size()];
        final String[] answers = new String[conversations.size()];
        final Map<String, Double> metrics = new LinkedHashMap<>();
        final List<Integer> answered = new ArrayList<>();
        /** Per conversation: its position in {@code answered} (and in the generation scores), or -1. */
        final int[] answerIndex = new int[conversations.size()];
        GenerationScores generationScores;

        Side() {
            Arrays.fill(answerIndex, -1);
        }

        Double meanNll(int i) {
            return scores[i] == null ? null : scores[i].meanNll();
        }

        Map<String, Double> exampleScores(int i) {
            int k = answerIndex[i];
            return k < 0 ? null : generationScores.examples().get(k);
        }

        void put(String name, double value) {
            // JSON has no NaN: a value that cannot be computed is left out, and a policy rule on it fails as unmeasured.
            if (Double.isFinite(value)) metrics.put(name, value);
        }
    }

    private Side evaluate(SideModel model) {
        Side side = new Side();
        score(model, side);
        if (Boolean.TRUE.equals(generation.enabled())) answer(model, side);
        side.put("memoryBytes", model.memoryBytes());
        return side;
    }

    private void score(SideModel model, Side side) {
        long bytes = 0;
        long start = System.nanoTime();
        for (int from = 0; from < conversations.size(); from += CHUNK) {
            checkpoint.reached(model.label() + ".scoring", from, conversations.size());
            List<TokenizedExample> chunk = new ArrayList<>();
            List<Integer> index = new ArrayList<>();
            for (int i = from; i < Math.min(from + CHUNK, conversations.size()); i++) {
                TokenizedExample e = model.encoder().encode(conversations.get(i));
                if (!e.hasTarget()) continue;
                chunk.add(e);
                index.add(i);
                bytes += replyBytes(conversations.get(i));
            }
            if (chunk.isEmpty()) continue;
            List<TokenScores> scores = model.scorer().scoreLabelled(chunk);
            for (int k = 0; k < scores.size(); k++) {
                side.scores[index.get(k)] = scores.get(k);
                side.tokens[index.get(k)] = scores.get(k).countedTokens();
            }
        }
        double seconds = (System.nanoTime() - start) / 1e9;
        List<TokenScores> scored = new ArrayList<>();
        for (TokenScores s : side.scores) if (s != null) scored.add(s);
        Perplexity p = Perplexity.of(scored, bytes);
        side.put("examples", scored.size());
        side.put("tokens", p.tokens());
        side.put("meanNll", p.meanNll());
        side.put("perplexity", p.perplexity());
        side.put("bitsPerByte", p.bitsPerByte());
        side.put("scoringSeconds", seconds);
        side.put("scoredTokensPerSecond", p.tokens() / seconds);
    }

    /** Answers in batches of {@link #CHUNK}; a prompt that leaves no room in the context is not answered. */
    private void answer(SideModel model, Side side) {
        long generated = 0;
        double latencySum = 0;
        long start = System.nanoTime();
        for (int from = 0; from < conversations.size(); from += CHUNK) {
            checkpoint.reached(model.label() + ".generation", from, conversations.size());
            List<GenerationRequest> batch = new ArrayList<>();
            List<Integer> index = new ArrayList<>();
            for (int i = from; i < Math.min(from + CHUNK, conversations.size()); i++) {
                int[] prompt = model.generator().encodeChat(ValidationSplit.prompt(conversations.get(i)));
                int room = Math.min(generation.maxNewTokens(), model.contextLength() - prompt.length);
                if (room < 1) continue;
                batch.add(new GenerationRequest(prompt, generation.sampling(i, room), model.adapter()));
                index.add(i);
            }
            if (batch.isEmpty()) continue;
            long batchStart = System.nanoTime();
            List<Generation> out = model.generator().generate(batch, TokenListener.NONE);
            double batchSeconds = (System.nanoTime() - batchStart) / 1e9;
            for (int k = 0; k < out.size(); k++) {
                side.answers[index.get(k)] = out.get(k).text().strip();
                side.answerIndex[index.get(k)] = side.answered.size();
                side.answered.add(index.get(k));
                generated += out.get(k).usage().completionTokens();
                latencySum += batchSeconds;
            }
        }
        double seconds = (System.nanoTime() - start) / 1e9;
        List<String> predictions = side.answered.stream().map(i -> side.answers[i]).toList();
        side.generationScores = GenerationMetrics.score(predictions, side.answered.stream().map(references::get).toList());
        side.generationScores.corpus().forEach(side::put);
        if (!predictions.isEmpty()) {
            // Left out when nothing was answered: the degeneration rules then fail on missing evidence.
            side.put(DegenerateAnswers.EMPTY_ANSWER_RATE, DegenerateAnswers.emptyAnswerRate(predictions));
            side.put(DegenerateAnswers.REPETITION_RATE, DegenerateAnswers.repetitionRate(predictions));
        }
        side.put("answered", predictions.size());
        side.put("generationSeconds", seconds);
        side.put("generatedTokensPerSecond", generated / seconds);
        side.put("meanLatencyMs", predictions.isEmpty() ? Double.NaN : 1000 * latencySum / predictions.size());
    }

    /** The text the labelled tokens spell, for bits per byte: the assistant's replies. */
    private static long replyBytes(Conversation c) {
        long n = 0;
        for (ChatMessage m : c.messages()) {
            if (m.role().equals("assistant")) n += m.content().getBytes(StandardCharsets.UTF_8).length;
        }
        return n;
    }
}
