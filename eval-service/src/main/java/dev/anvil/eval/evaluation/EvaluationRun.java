package dev.anvil.eval.evaluation;

import dev.anvil.llm.data.Conversation;
import dev.anvil.llm.data.TokenizedExample;
import dev.anvil.llm.score.Perplexity;
import dev.anvil.llm.score.TokenScores;

import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * One evaluation as plain steps, on the caller's thread and without the database: score every conversation under
 * each side with the rendering and masking of training, then summarise each side. {@code check} runs between
 * chunks of examples (the runner's lease check: it throws to stop a run whose lease was lost).
 */
final class EvaluationRun {
    /** Examples scored between two checks. */
    static final int CHUNK = 16;

    /** One example's outcome; an NLL is null where that side had no token to score. */
    record ExampleScore(long line, String reference, int tokens, Double baselineNll, Double candidateNll) {
    }

    record Outcome(Map<String, Double> candidate, Map<String, Double> baseline, List<ExampleScore> examples) {
    }

    private final List<Conversation> conversations;
    private final Runnable check;

    EvaluationRun(List<Conversation> conversations, Runnable check) {
        if (conversations.isEmpty()) throw new IllegalArgumentException("the validation split has no example to score");
        this.conversations = List.copyOf(conversations);
        this.check = check;
    }

    Outcome run(ScoredModel candidate, ScoredModel baseline) {
        SideScores c = score(candidate);
        SideScores b = score(baseline);
        List<ExampleScore> examples = new ArrayList<>(conversations.size());
        for (int i = 0; i < conversations.size(); i++) {
            Conversation conv = conversations.get(i);
            examples.add(new ExampleScore(conv.line(), ValidationSplit.reference(conv), c.tokens[i], b.meanNll(i),
                    c.meanNll(i)));
        }
        return new Outcome(c.metrics(), b.metrics(), examples);
    }

    /** Per conversation: its scores under one side (null when rendering and cutting left nothing to score). */
    private final class SideScores {
        final TokenScores[] scores = new TokenScores[conversations.size()];
        final int[] tokens = new int[conversations.size()];
        long bytes;
        double seconds;

        Double meanNll(int i) {
            return scores[i] == null ? null : scores[i].meanNll();
        }

        Map<String, Double> metrics() {
            List<TokenScores> scored = new ArrayList<>();
            for (TokenScores s : scores) if (s != null) scored.add(s);
            Perplexity p = Perplexity.of(scored, bytes);
            Map<String, Double> m = new LinkedHashMap<>();
            m.put("examples", (double) scored.size());
            m.put("tokens", (double) p.tokens());
            m.put("meanNll", p.meanNll());
            m.put("perplexity", p.perplexity());
            m.put("bitsPerByte", p.bitsPerByte());
            m.put("scoringSeconds", seconds);
            m.put("scoredTokensPerSecond", seconds > 0 ? p.tokens() / seconds : Double.NaN);
            return m;
        }
    }

    private SideScores score(ScoredModel side) {
        SideScores out = new SideScores();
        long start = System.nanoTime();
        for (int from = 0; from < conversations.size(); from += CHUNK) {
            check.run();
            List<TokenizedExample> chunk = new ArrayList<>();
            List<Integer> index = new ArrayList<>();
            for (int i = from; i < Math.min(from + CHUNK, conversations.size()); i++) {
                TokenizedExample e = side.encoder().encode(conversations.get(i));
                if (!e.hasTarget()) continue;
                chunk.add(e);
                index.add(i);
                out.bytes += replyBytes(conversations.get(i));
            }
            if (chunk.isEmpty()) continue;
            List<TokenScores> scores = side.scorer().scoreLabelled(chunk);
            for (int k = 0; k < scores.size(); k++) {
                out.scores[index.get(k)] = scores.get(k);
                out.tokens[index.get(k)] = scores.get(k).countedTokens();
            }
        }
        out.seconds = (System.nanoTime() - start) / 1e9;
        return out;
    }

    /** The text the labelled tokens spell, for bits per byte: the assistant's replies. */
    private static long replyBytes(Conversation c) {
        long n = 0;
        for (var m : c.messages()) {
            if (m.role().equals("assistant")) n += m.content().getBytes(StandardCharsets.UTF_8).length;
        }
        return n;
    }
}
