package dev.anvil.llm.bench;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;

import java.io.IOException;
import java.nio.file.Path;

/**
 * A valid Hugging Face {@code tokenizer.json} for a Llama-style vocabulary of any size, for random-weight
 * checkpoints: engines that refuse a model directory without a tokenizer (Jlama) can then load it, while the
 * benchmark itself feeds token ids and never tokenizes text.
 *
 * <p>Layout of Llama 2's vocabulary: {@code <unk>} 0, {@code <s>} 1, {@code </s>} 2, the 256 byte-fallback tokens
 * {@code <0x00>..<0xFF>} at 3..258, then placeholder pieces {@code ▁t259, ▁t260, ...}. A BPE model with
 * {@code byte_fallback} and no merges: every string still encodes (as bytes), every id decodes.
 */
public final class MinimalTokenizerJson {

    private static final ObjectMapper JSON = new ObjectMapper();
    private static final int BYTE_TOKENS_START = 3;

    private MinimalTokenizerJson() {}

    public static void write(Path file, int vocabSize) throws IOException {
        if (vocabSize < BYTE_TOKENS_START + 256) {
            throw new IllegalArgumentException("vocabSize must be >= " + (BYTE_TOKENS_START + 256) + ", got " + vocabSize);
        }
        ObjectNode root = JSON.createObjectNode();
        root.put("version", "1.0");
        root.putNull("truncation");
        root.putNull("padding");
        ArrayNode added = root.putArray("added_tokens");
        String[] special = {"<unk>", "<s>", "</s>"};
        for (int id = 0; id < special.length; id++) {
            ObjectNode t = added.addObject();
            t.put("id", id);
            t.put("content", special[id]);
            t.put("single_word", false);
            t.put("lstrip", false);
            t.put("rstrip", false);
            t.put("normalized", false);
            t.put("special", true);
        }
        root.putNull("normalizer");
        root.putNull("pre_tokenizer");
        root.putNull("post_processor");
        root.putNull("decoder");
        ObjectNode model = root.putObject("model");
        model.put("type", "BPE");
        model.putNull("dropout");
        model.put("unk_token", "<unk>");
        model.putNull("continuing_subword_prefix");
        model.putNull("end_of_word_suffix");
        model.put("fuse_unk", true);
        model.put("byte_fallback", true);
        model.put("ignore_merges", false);
        ObjectNode vocab = model.putObject("vocab");
        for (int id = 0; id < special.length; id++) vocab.put(special[id], id);
        for (int b = 0; b < 256; b++) vocab.put(String.format("<0x%02X>", b), BYTE_TOKENS_START + b);
        for (int id = BYTE_TOKENS_START + 256; id < vocabSize; id++) vocab.put("\u2581t" + id, id);
        model.putArray("merges");
        JSON.writeValue(file.toFile(), root);
    }
}
