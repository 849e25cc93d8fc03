package dev.anvil.llm.score;

import java.util.List;

/**
 * The perplexity of a set of scored sequences: the NLL of all their counted tokens over the number of those tokens
 * (a token-weighted mean, as a training loss is, not a mean of per-sequence means), and bits per byte of the text
 * they predict, which compares models whose tokenizers differ.
 *
 * @param sumNll the summed NLL (natural log) of the counted tokens
 * @param tokens the counted tokens
 * @param bytes  the UTF-8 bytes of the text those tokens spell (0 when unknown: bits per byte is then NaN)
 */
public record Perplexity(double sumNll, long tokens, long bytes) {

    public static Perplexity of(List<TokenScores> scores, long bytes) {
        double sum = 0;
        long tokens = 0;
        for (TokenScores s : scores) {
            sum += s.sumNll();
            tokens += s.countedTokens();
        }
        return new Perplexity(sum, tokens, bytes);
    }

    /** Mean NLL per counted token; NaN when nothing counts. */
    public double meanNll() {
        return tokens == 0 ? Double.NaN : sumNll / tokens;
    }

    public double perplexity() {
        return Math.exp(meanNll());
    }

    public double bitsPerByte() {
        return bytes == 0 ? Double.NaN : sumNll / (Math.log(2) * bytes);
    }
}
