package dev.anvil.llm.text;

import com.fasterxml.jackson.databind.JsonNode;
import java.util.Arrays;
import java.util.BitSet;
import java.util.HashMap;
import java.util.Map;
import java.util.OptionalInt;

/**
 * Token strings and ids as {@code tokenizer.json} declares them: the model's vocabulary plus the added tokens.
 * The native tokenizer does not expose this mapping, so it is read from the same file.
 */
final class Vocabulary {
    private final Map<String, Integer> idsByToken;
    private final String[] tokensById;
    private final BitSet special;

    private Vocabulary(Map<String, Integer> idsByToken, String[] tokensById, BitSet special) {
        this.idsByToken = idsByToken;
        this.tokensById = tokensById;
        this.special = special;
    }

    static Vocabulary parse(JsonNode tokenizerJson, String source) {
        Map<String, Integer> ids = new HashMap<>();
        JsonNode vocab = tokenizerJson.path("model").path("vocab");
        if (vocab.isObject()) { // BPE, WordPiece, WordLevel: {"token": id}
            vocab.fields().forEachRemaining(e -> ids.put(e.getKey(), checkedId(e.getValue(), e.getKey(), source)));
        } else if (vocab.isArray()) { // Unigram: [["piece", score], ...], the id is the position
            for (int i = 0; i < vocab.size(); i++) {
                ids.put(vocab.get(i).path(0).asText(), i);
            }
        } else {
            throw new IllegalArgumentException(source + ": model.vocab is missing");
        }
        BitSet special = new BitSet();
        for (JsonNode added : tokenizerJson.path("added_tokens")) {
            String content = added.path("content").asText();
            int id = checkedId(added.path("id"), content, source);
            ids.put(content, id);
            if (added.path("special").asBoolean(false)) {
                special.set(id);
            }
        }
        int size = ids.values().stream().mapToInt(Integer::intValue).max().orElse(-1) + 1;
        String[] tokens = new String[size];
        ids.forEach((token, id) -> tokens[id] = token);
        return new Vocabulary(Map.copyOf(ids), tokens, special);
    }

    private static int checkedId(JsonNode node, String token, String source) {
        if (!node.canConvertToInt() || node.intValue() < 0) {
            throw new IllegalArgumentException(source + ": token '" + token + "' has an invalid id " + node);
        }
        return node.intValue();
    }

    int size() {
        return tokensById.length;
    }

    OptionalInt id(String token) {
        Integer id = idsByToken.get(token);
        return id == null ? OptionalInt.empty() : OptionalInt.of(id);
    }

    String token(int id) {
        checkId(id, "id");
        String token = tokensById[id];
        if (token == null) {
            throw new IllegalArgumentException("id " + id + " is not assigned to any token");
        }
        return token;
    }

    boolean isSpecial(int id) {
        return special.get(id);
    }

    void checkId(int id, String what) {
        if (id < 0 || id >= tokensById.length) {
            throw new IllegalArgumentException(what + " " + id + " is outside the vocabulary [0, " + tokensById.length + ")");
        }
    }

    @Override
    public String toString() {
        return "Vocabulary[" + tokensById.length + " tokens, special " + Arrays.toString(special.stream().toArray()) + "]";
    }
}
