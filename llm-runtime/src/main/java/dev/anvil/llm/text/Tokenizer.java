package dev.anvil.llm.text;

import ai.djl.huggingface.tokenizers.HuggingFaceTokenizer;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.io.ByteArrayInputStream;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Map;
import java.util.Optional;
import java.util.OptionalInt;

/**
 * The tokenizer of a Hugging Face model directory: {@code tokenizer.json} runs in the Rust {@code tokenizers}
 * library (through DJL, offline), {@code tokenizer_config.json} supplies the special tokens, the BOS/EOS policy and
 * the chat template.
 *
 * <p>Two DJL defaults would silently change results and are switched off: truncation (DJL truncates to 512
 * tokens unless told otherwise) and padding. When {@code tokenizer_config.json} states {@code add_bos_token} or
 * {@code add_eos_token} (Llama, Mistral), those flags decide, as transformers' Llama tokenizer rebuilds its
 * post-processor from them; otherwise the post-processor of {@code tokenizer.json} adds what it adds (Llama 3's
 * {@code <|begin_of_text|>}, nothing for Qwen2).
 *
 * <p>{@code clean_up_tokenization_spaces} is not applied: decoding stays the exact inverse the streaming
 * detokenizer reproduces piece by piece.
 *
 * <p>Thread-safe; holds native memory until {@link #close()}.
 */
public final class Tokenizer implements AutoCloseable {
    /** Inputs beyond this are refused rather than handed to native code. */
    public static final int MAX_TEXT_CHARS = 1 << 24;
    private static final long MAX_TOKENIZER_FILE_BYTES = 64L << 20;
    private static final ObjectMapper JSON = new ObjectMapper();

    private final HuggingFaceTokenizer engine;
    private final Vocabulary vocabulary;
    private final TokenizerConfig config;
    private final OptionalInt bosId;
    private final OptionalInt eosId;
    private final OptionalInt padId;
    private final OptionalInt unkId;

    private Tokenizer(HuggingFaceTokenizer engine, Vocabulary vocabulary, TokenizerConfig config) {
        this.engine = engine;
        this.vocabulary = vocabulary;
        this.config = config;
        this.bosId = idOf(config.bosToken(), "bos_token");
        this.eosId = idOf(config.eosToken(), "eos_token");
        this.padId = idOf(config.padToken(), "pad_token");
        this.unkId = idOf(config.unkToken(), "unk_token");
    }

    /**
     * Loads {@code tokenizer.json} and, when present, {@code tokenizer_config.json} and {@code chat_template.jinja}
     * (transformers 5 writes the template to that file; it wins over the one inside the config).
     */
    public static Tokenizer load(Path modelDir) {
        if (!Files.isDirectory(modelDir)) {
            throw new IllegalArgumentException("model directory does not exist: " + modelDir);
        }
        Path tokenizerFile = modelDir.resolve("tokenizer.json");
        if (!Files.isRegularFile(tokenizerFile)) {
            throw new IllegalArgumentException("no tokenizer.json in " + modelDir);
        }
        byte[] tokenizerBytes = readBounded(tokenizerFile);
        Vocabulary vocabulary = Vocabulary.parse(parseJson(tokenizerBytes, tokenizerFile), tokenizerFile.toString());
        TokenizerConfig config = readConfig(modelDir);
        HuggingFaceTokenizer engine;
        try {
            engine = HuggingFaceTokenizer.newInstance(new ByteArrayInputStream(tokenizerBytes),
                    Map.of("truncation", "false", "padding", "false", "addSpecialTokens", "true"));
        } catch (IOException | RuntimeException e) {
            throw new IllegalArgumentException(tokenizerFile + ": the tokenizers library rejected it: " + e.getMessage(), e);
        }
        try {
            return new Tokenizer(engine, vocabulary, config);
        } catch (RuntimeException e) {
            engine.close(); // a special token missing from the vocabulary
            throw e;
        }
    }

    private static TokenizerConfig readConfig(Path modelDir) {
        Path configFile = modelDir.resolve("tokenizer_config.json");
        TokenizerConfig config = Files.isRegularFile(configFile)
                ? TokenizerConfig.parse(parseJson(readBounded(configFile), configFile), configFile.toString())
                : TokenizerConfig.empty();
        Path templateFile = modelDir.resolve("chat_template.jinja");
        if (Files.isRegularFile(templateFile)) {
            String template = new String(readBounded(templateFile), StandardCharsets.UTF_8);
            config = new TokenizerConfig(config.bosToken(), config.eosToken(), config.padToken(), config.unkToken(),
                    config.addBosToken(), config.addEosToken(), Optional.of(template));
        }
        return config;
    }

    /** Encodes with the special tokens the model expects around a single text (usually BOS). */
    public int[] encode(String text) {
        return encode(text, true);
    }

    /**
     * @param addSpecialTokens false for text that already carries its special tokens, such as a rendered chat
     *     template (the same convention as transformers' {@code apply_chat_template})
     */
    public int[] encode(String text, boolean addSpecialTokens) {
        if (text == null) {
            throw new IllegalArgumentException("text must not be null");
        }
        if (text.length() > MAX_TEXT_CHARS) {
            throw new IllegalArgumentException("text has " + text.length() + " chars, more than " + MAX_TEXT_CHARS);
        }
        boolean configDecides = config.addBosToken().isPresent() || config.addEosToken().isPresent();
        long[] ids = engine.encode(text, addSpecialTokens && !configDecides, false).getIds();
        boolean bos = addSpecialTokens && configDecides && config.addBosToken().orElse(false) && bosId.isPresent();
        boolean eos = addSpecialTokens && configDecides && config.addEosToken().orElse(false) && eosId.isPresent();
        int[] out = new int[ids.length + (bos ? 1 : 0) + (eos ? 1 : 0)];
        int at = 0;
        if (bos) {
            out[at++] = bosId.getAsInt();
        }
        for (long id : ids) {
            out[at++] = Math.toIntExact(id);
        }
        if (eos) {
            out[at] = eosId.getAsInt();
        }
        return out;
    }

    /** Text of {@code ids}; special tokens (BOS, EOS, chat markers flagged special) are dropped when asked. */
    public String decode(int[] ids, boolean skipSpecialTokens) {
        long[] wide = new long[ids.length];
        for (int i = 0; i < ids.length; i++) {
            vocabulary.checkId(ids[i], "ids[" + i + "] =");
            wide[i] = ids[i];
        }
        return engine.decode(wide, skipSpecialTokens);
    }

    /** Number of ids, added tokens included (transformers' {@code len(tokenizer)}). */
    public int vocabSize() {
        return vocabulary.size();
    }

    public OptionalInt tokenToId(String token) {
        return vocabulary.id(token);
    }

    /** The token string as the vocabulary stores it, e.g. {@code "▁the"} or {@code "<0xE2>"}. */
    public String idToToken(int id) {
        return vocabulary.token(id);
    }

    public boolean isSpecial(int id) {
        vocabulary.checkId(id, "id");
        return vocabulary.isSpecial(id);
    }

    public OptionalInt bosId() {
        return bosId;
    }

    public OptionalInt eosId() {
        return eosId;
    }

    public OptionalInt padId() {
        return padId;
    }

    public OptionalInt unkId() {
        return unkId;
    }

    public TokenizerConfig config() {
        return config;
    }

    @Override
    public void close() {
        engine.close();
    }

    private OptionalInt idOf(Optional<String> token, String field) {
        if (token.isEmpty()) {
            return OptionalInt.empty();
        }
        OptionalInt id = vocabulary.id(token.get());
        if (id.isEmpty()) {
            throw new IllegalArgumentException("tokenizer_config.json: " + field + " '" + token.get()
                    + "' is not in the vocabulary");
        }
        return id;
    }

    private static byte[] readBounded(Path file) {
        try {
            long size = Files.size(file);
            if (size > MAX_TOKENIZER_FILE_BYTES) {
                throw new IllegalArgumentException(file + " is " + size + " bytes, more than " + MAX_TOKENIZER_FILE_BYTES);
            }
            return Files.readAllBytes(file);
        } catch (IOException e) {
            throw new UncheckedIOException("cannot read " + file, e);
        }
    }

    private static JsonNode parseJson(byte[] bytes, Path file) {
        try {
            return JSON.readTree(bytes);
        } catch (IOException e) {
            throw new IllegalArgumentException(file + " is not valid JSON: " + e.getMessage(), e);
        }
    }
}
