package dev.anvil.llm.cli;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.anvil.llm.score.Scorer;
import dev.anvil.llm.score.TokenScores;
import dev.anvil.llm.text.Tokenizer;

import java.io.PrintStream;
import java.util.Arrays;
import java.util.List;
import java.util.Set;

/**
 * Prints one JSON object: the token ids, the NLL of each token after the first ({@code nll[i]} belongs to
 * {@code ids[i + 1]}), mean NLL and perplexity; with {@code --logits} also the logits of every position.
 */
final class ScoreCommand implements Command {
    /** Bounds the --ids list before parsing (the model's context bounds it again). */
    private static final int MAX_IDS_CHARS = 1 << 20;

    @Override
    public String name() {
        return "score";
    }

    @Override
    public String usage() {
        return "--model DIR [--adapter DIR] (--ids 1,2,3 | --text TEXT) [--logits]";
    }

    @Override
    public void run(List<String> argv, CliPaths paths, PrintStream out, PrintStream err) throws Exception {
        Args args = new Args(argv, Set.of("model", "adapter", "ids", "text"), Set.of("logits"));
        if (args.has("ids") == args.has("text")) throw new UsageException("give exactly one of --ids and --text");
        long[] parsedIds = args.has("ids") ? parseIds(args.required("ids")) : null;
        ModelWithAdapter loaded = ModelWithAdapter.load(paths, args, parsedIds == null);
        Scorer scorer = new Scorer(loaded.model()).withAdapter(loaded.adapterName());
        long[] ids = parsedIds;
        if (ids == null) {
            try (Tokenizer tokenizer = Tokenizer.load(paths.modelDir("model", args.required("model"), true))) {
                ids = Arrays.stream(tokenizer.encode(args.required("text"))).asLongStream().toArray();
            }
        }
        TokenScores scores;
        try {
            scores = scorer.score(ids);
        } catch (IllegalArgumentException e) {
            throw new UsageException(e.getMessage());
        }
        ObjectMapper json = new ObjectMapper();
        ObjectNode result = json.createObjectNode();
        ArrayNode idArray = result.putArray("ids");
        for (long id : ids) idArray.add(id);
        ArrayNode nll = result.putArray("nll");
        for (double v : scores.nll()) nll.add(v);
        result.put("mean_nll", scores.meanNll());
        result.put("perplexity", scores.perplexity());
        if (args.flag("logits")) {
            ArrayNode logits = result.putArray("logits");
            for (float[] row : scorer.logits(ids)) {
                ArrayNode r = logits.addArray();
                for (float v : row) r.add(v);
            }
        }
        out.println(json.writeValueAsString(result));
    }

    static long[] parseIds(String text) {
        if (text.length() > MAX_IDS_CHARS) throw new UsageException("--ids is longer than " + MAX_IDS_CHARS + " characters");
        String[] parts = text.split(",");
        long[] ids = new long[parts.length];
        for (int i = 0; i < parts.length; i++) {
            try {
                ids[i] = Long.parseLong(parts[i].trim());
            } catch (NumberFormatException e) {
                throw new UsageException("--ids: item " + (i + 1) + " ('" + parts[i] + "') is not an integer");
            }
        }
        return ids;
    }
}
