package dev.anvil.llm.model;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.anvil.llm.torch.ComputeDevice;
import dev.anvil.llm.torch.DType;
import dev.anvil.llm.torch.NativeScope;
import dev.anvil.llm.torch.Tensors;
import dev.anvil.llm.torch.Torch;
import dev.anvil.llm.weights.Checkpoints;
import dev.anvil.llm.weights.HfCheckpointWriter;
import dev.anvil.llm.weights.SafetensorsException;
import dev.anvil.llm.weights.TensorSource;
import org.bytedeco.pytorch.DeviceOptional;
import org.bytedeco.pytorch.DoubleOptional;
import org.bytedeco.pytorch.Scalar;
import org.bytedeco.pytorch.Tensor;
import org.bytedeco.pytorch.TensorOptional;
import org.bytedeco.pytorch.TensorOptions;
import org.bytedeco.pytorch.TensorVector;
import org.bytedeco.pytorch.global.torch;
import org.bytedeco.pytorch.global.torch.ScalarType;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.EnumMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.function.UnaryOperator;

/**
 * A Llama-family decoder (Llama 2/3, Mistral, Qwen2), written to be read top to bottom:
 * token embeddings, then per layer {@code x += attention(rmsnorm(x)); x += mlp(rmsnorm(x))}, a final RMSNorm and
 * the LM head. Attention is causal scaled-dot-product attention with rotary positions and grouped KV heads; the MLP
 * is SwiGLU. Families differ only by {@link ModelConfig} switches.
 *
 * <p>Batches are {@code [batch, time]} token ids with an optional {@code [batch, past + time]} attention mask
 * (1 = token, 0 = padding; left padding for generation). With a {@link KvCache}, each call appends to the cache.
 * Call forward inside a {@link dev.anvil.llm.torch.NativeScope}; not thread-safe when a cache is shared.
 */
public final class LlamaModel {

    private static final ObjectMapper JSON = new ObjectMapper();
    private static final long DEFAULT_MAX_SHARD_BYTES = 2L << 30;

    private final ModelConfig config;
    private final DType dtype;
    private final ComputeDevice device;
    private final Tensor embedTokens;
    private final List<Layer> layers;
    private final Tensor finalNorm;
    private Projection lmHead;
    private final Tensor invFreq;
    /** The checkpoint whose file mappings back zero-copy weights: it must stay reachable as long as this model. */
    @SuppressWarnings({"unused", "FieldCanBeLocal"})
    private final TensorSource weightSource;
    /** The directory loaded from (its tokenizer and config files are carried along on save), or null. */
    private final Path sourceDir;

    /** One decoder layer's weights. */
    private static final class Layer {
        final Tensor inputNorm;
        final Tensor postAttentionNorm;
        final EnumMap<ProjectionKind, Projection> projections = new EnumMap<>(ProjectionKind.class);

        Layer(Tensor inputNorm, Tensor postAttentionNorm) {
            this.inputNorm = inputNorm;
            this.postAttentionNorm = postAttentionNorm;
        }
    }

    private LlamaModel(ModelConfig config, DType dtype, ComputeDevice device, Tensor embedTokens, List<Layer> layers,
                       Tensor finalNorm, Projection lmHead, TensorSource weightSource, Path sourceDir) {
        this.config = config;
        this.dtype = dtype;
        this.device = device;
        this.embedTokens = embedTokens;
        this.layers = layers;
        this.finalNorm = finalNorm;
        this.lmHead = lmHead;
        this.weightSource = weightSource;
        this.sourceDir = sourceDir;
        float[] inverseFrequencies = config.rope().inverseFrequencies(config.headDim());
        this.invFreq = NativeScope.retain(Tensors.floats(inverseFrequencies, inverseFrequencies.length)
                .to(device.toTorch(), ScalarType.Float));
    }

    // ---------------------------------------------------------------- loading

    /** Loads a Hugging Face model directory (config.json + safetensors, single or sharded). */
    public static LlamaModel load(Path dir, LoadOptions options) {
        Torch.init();
        ModelConfig config = ModelConfig.read(dir.resolve("config.json"));
        TensorSource source = Checkpoints.open(dir);
        return build(config, source, options, dir, Map.of());
    }

    /**
     * Loads a directory whose projections in {@code prebuilt} (by module name, e.g.
     * {@code model.layers.0.self_attn.q_proj}) are not stored as dense weights, e.g. NF4-quantized ones read from
     * the same checkpoint: those come ready-made, every other tensor is loaded as by {@link #load(Path, LoadOptions)}.
     */
    public static LlamaModel load(Path dir, LoadOptions options, ModelConfig config, TensorSource source,
                                  Map<String, Projection> prebuilt) {
        Torch.init();
        return build(config, source, options, dir, prebuilt);
    }

    /** Builds a model from tensors already in memory (HF names), e.g. random weights. */
    public static LlamaModel fromTensors(ModelConfig config, Map<String, Tensor> tensors, LoadOptions options) {
        Torch.init();
        return build(config, TensorSource.of(tensors), options, null, Map.of());
    }

    /** Checks every expected tensor's presence and shape before converting any, so errors come before work. */
    private static LlamaModel build(ModelConfig config, TensorSource source, LoadOptions options, Path sourceDir,
                                    Map<String, Projection> prebuilt) {
        Map<String, long[]> expected = new LinkedHashMap<>(ParameterLayout.of(config));
        for (String module : prebuilt.keySet()) {
            boolean known = expected.remove(module + ".weight") != null;
            expected.remove(module + ".bias");
            if (!known) throw new IllegalArgumentException("'" + module + "' is not a projection of this model");
        }
        for (Map.Entry<String, long[]> e : expected.entrySet()) {
            String name = e.getKey();
            if (!source.contains(name)) throw new SafetensorsException("missing tensor '" + name + "' required by config.json");
            long[] shape = source.shape(name);
            if (!Arrays.equals(shape, e.getValue())) {
                throw new SafetensorsException("tensor '" + name + "' has shape " + Arrays.toString(shape)
                        + " but config.json implies " + Arrays.toString(e.getValue()));
            }
        }
        Map<String, Tensor> w = new LinkedHashMap<>();
        for (String name : expected.keySet()) w.put(name, prepare(source.tensor(name), options));
        List<Layer> layers = new ArrayList<>();
        for (int i = 0; i < config.numLayers(); i++) {
            Layer layer = new Layer(w.get(ParameterLayout.inputNorm(i)), w.get(ParameterLayout.postAttentionNorm(i)));
            for (ProjectionKind k : ProjectionKind.values()) {
                String m = k.moduleName(i);
                Projection p = prebuilt.get(m);
                layer.projections.put(k, p != null ? p : new Linear(w.get(m + ".weight"), w.get(m + ".bias")));
            }
            layers.add(layer);
        }
        Tensor embed = w.get(ParameterLayout.EMBED);
        Projection head = new Linear(config.tieWordEmbeddings() ? embed : w.get(ParameterLayout.LM_HEAD), null);
        return new LlamaModel(config, options.dtype(), options.device(), embed, layers, w.get(ParameterLayout.FINAL_NORM),
                head, source, sourceDir);
    }

    /** Casts/moves a stored tensor; trainable weights get their own memory (the file mapping is read-only). */
    private static Tensor prepare(Tensor stored, LoadOptions o) {
        Tensor t = stored;
        boolean converted = false;
        if (stored.scalar_type().intern() != o.dtype().scalarType() || o.device().isCuda()) {
            t = stored.to(o.device().toTorch(), o.dtype().scalarType());
            converted = true;
        }
        if (o.trainable()) {
            if (!converted) t = t.clone();
            t.requires_grad_(true);
        }
        return NativeScope.retain(t);
    }

    // ---------------------------------------------------------------- forward

    /** Logits {@code [batch, time, vocab]} for a whole batch; {@code attentionMask} may be null (no padding). */
    public Tensor forward(Tensor inputIds, Tensor attentionMask) {
        return forward(inputIds, null, attentionMask, null, null);
    }

    public Tensor forward(Tensor inputIds, Tensor attentionMask, AdapterRouting routing) {
        return forward(inputIds, null, attentionMask, null, routing);
    }

    /**
     * The general forward pass.
     *
     * @param inputIds      {@code [B, T]} int64
     * @param positions     {@code [B, T]} rotary positions, or null to derive them from the mask (pads skipped)
     * @param attentionMask {@code [B, past + T]} 1/0, or null when no row is padded
     * @param cache         null, or the cache to read {@code past} tokens from and append these to
     * @param routing       null, or the adapter of each row
     * @return logits {@code [B, T, vocab]} in the model's dtype
     */
    public Tensor forward(Tensor inputIds, Tensor positions, Tensor attentionMask, KvCache cache, AdapterRouting routing) {
        int batch = (int) inputIds.size(0);
        int time = (int) inputIds.size(1);
        int past = cache == null ? 0 : cache.length();
        if (cache != null) cache.checkRoom(batch, time);
        inputIds = onDevice(inputIds, ScalarType.Long);
        checkTokenIds(inputIds);
        Tensor mask = attentionMask == null ? null : onDevice(attentionMask, ScalarType.Bool);
        positions = positions == null ? defaultPositions(batch, time, past, mask) : onDevice(positions, ScalarType.Long);

        Tensor[] rope = rotary(positions);
        Tensor attnMask = attentionMask(batch, time, past, mask);
        // No mask: either a fresh sequence (causal) or one new token, which sees the whole cache (not causal:
        // SDPA aligns its causal mask top-left, which would hide all but the first cached key).
        boolean causal = attnMask == null && past == 0;

        Tensor x = torch.embedding(embedTokens, inputIds);
        for (int i = 0; i < layers.size(); i++) {
            int index = i;
            Tensor in = x;
            // A layer's temporaries die with it; in training, autograd keeps what backward needs (about 40% of them).
            x = NativeScope.handOver(() -> {
                Layer layer = layers.get(index);
                Tensor h = in.add(attention(index, layer, rmsNorm(in, layer.inputNorm), rope, attnMask, causal, cache,
                        routing));
                return h.add(mlp(layer, rmsNorm(h, layer.postAttentionNorm), routing));
            });
        }
        if (cache != null) cache.advance(time);
        return lmHead.apply(rmsNorm(x, finalNorm));
    }

    /** An out-of-range id would otherwise surface as a native error deep inside the embedding lookup. */
    private void checkTokenIds(Tensor ids) {
        long min = ids.min().item_long();
        long max = ids.max().item_long();
        if (min < 0 || max >= config.vocabSize()) {
            throw new IllegalArgumentException("token id " + (min < 0 ? min : max) + " out of range [0, "
                    + config.vocabSize() + ")");
        }
    }

    /** Inputs built on the CPU (token ids, masks) follow the model to its device. */
    private Tensor onDevice(Tensor t, ScalarType type) {
        return device.isCuda() || t.scalar_type().intern() != type ? t.to(device.toTorch(), type) : t;
    }

    /** transformers' RMSNorm: normalise in float32, cast back, then scale. */
    private Tensor rmsNorm(Tensor x, Tensor weight) {
        Tensor normed = torch.rms_norm(x.to(ScalarType.Float), new long[]{config.hiddenSize()}, new TensorOptional(),
                new DoubleOptional(config.rmsNormEps()));
        return normed.to(dtype.scalarType()).mul(weight);
    }

    private Tensor attention(int index, Layer layer, Tensor x, Tensor[] rope, Tensor attnMask, boolean causal,
                             KvCache cache, AdapterRouting routing) {
        long b = x.size(0), t = x.size(1);
        int d = config.headDim();
        Tensor q = heads(layer.projections.get(ProjectionKind.Q).apply(x, routing), config.numHeads());
        Tensor k = heads(layer.projections.get(ProjectionKind.K).apply(x, routing), config.numKvHeads());
        Tensor v = heads(layer.projections.get(ProjectionKind.V).apply(x, routing), config.numKvHeads());
        q = applyRotary(q, rope);
        k = applyRotary(k, rope);
        if (cache != null) {
            Tensor[] kv = cache.append(index, k, v);
            k = kv[0];
            v = kv[1];
        }
        k = repeatKv(k);
        v = repeatKv(v);
        TensorOptional mask = attnMask == null ? new TensorOptional() : new TensorOptional(attnMask);
        Tensor out = torch.scaled_dot_product_attention(q, k, v, mask, 0.0, causal, new DoubleOptional(), false);
        out = out.transpose(1, 2).reshape(b, t, (long) config.numHeads() * d);
        return layer.projections.get(ProjectionKind.O).apply(out, routing);
    }

    /** {@code [B, T, H*D] -> [B, H, T, D]}. */
    private Tensor heads(Tensor x, int n) {
        return x.view(x.size(0), x.size(1), n, config.headDim()).transpose(1, 2);
    }

    /** Grouped-query attention: each KV head serves {@code groups} query heads. */
    private Tensor repeatKv(Tensor kv) {
        int groups = config.kvGroups();
        if (groups == 1) return kv;
        long b = kv.size(0), h = kv.size(1), s = kv.size(2), d = kv.size(3);
        return kv.unsqueeze(2).expand(b, h, groups, s, d).reshape(b, h * groups, s, d);
    }

    private Tensor mlp(Layer layer, Tensor x, AdapterRouting routing) {
        Tensor gate = torch.silu(layer.projections.get(ProjectionKind.GATE).apply(x, routing));
        Tensor up = layer.projections.get(ProjectionKind.UP).apply(x, routing);
        return layer.projections.get(ProjectionKind.DOWN).apply(gate.mul(up), routing);
    }

    // ---------------------------------------------------------------- positions and masks

    /** Position of each token among the real (unpadded) tokens of its row, as transformers' generate derives it. */
    private Tensor defaultPositions(int batch, int time, int past, Tensor mask) {
        TensorOptions longs = new TensorOptions(ScalarType.Long).device(new DeviceOptional(device.toTorch()));
        if (mask == null) {
            return torch.arange(new Scalar(past), new Scalar(past + time), longs).unsqueeze(0).expand(batch, time);
        }
        Tensor pos = torch.cumsum(mask.to(ScalarType.Long), 1).sub(new Scalar(1));
        pos = torch.clamp_min(pos, new Scalar(0));
        return pos.narrow(1, past, time);
    }

    /** cos and sin {@code [B, 1, T, D]} for the given positions, computed in float32 as transformers does. */
    private Tensor[] rotary(Tensor positions) {
        Tensor freqs = positions.to(ScalarType.Float).unsqueeze(-1).mul(invFreq); // [B, T, D/2]
        Tensor emb = torch.cat(new TensorVector(freqs, freqs), -1).unsqueeze(1);
        return new Tensor[]{emb.cos().to(dtype.scalarType()), emb.sin().to(dtype.scalarType())};
    }

    private Tensor applyRotary(Tensor x, Tensor[] rope) {
        long half = x.size(-1) / 2;
        Tensor x1 = x.narrow(-1, 0, half);
        Tensor x2 = x.narrow(-1, half, half);
        Tensor rotated = torch.cat(new TensorVector(x2.neg(), x1), -1);
        return x.mul(rope[0]).add(rotated.mul(rope[1]));
    }

    /**
     * The boolean {@code [B, 1, T, past+T]} mask (true = may attend), or null when plain causal attention is exact.
     * Query {@code i} sits at cache index {@code past+i}; it sees earlier, unpadded keys within the sliding window.
     * A padding query also sees itself, so that its softmax has at least one term (its output is never used).
     */
    private Tensor attentionMask(int batch, int time, int past, Tensor mask) {
        int total = past + time;
        boolean windowBites = config.slidingWindow() > 0 && total > config.slidingWindow();
        // Without padding, a fresh sequence is plain causal attention, and a single new token sees every cached one.
        if (mask == null && !windowBites && (past == 0 || time == 1)) return null;
        TensorOptions longs = new TensorOptions(ScalarType.Long).device(new DeviceOptional(device.toTorch()));
        Tensor q = torch.arange(new Scalar(past), new Scalar(total), longs).unsqueeze(1);  // [T, 1]
        Tensor k = torch.arange(new Scalar(0), new Scalar(total), longs).unsqueeze(0);     // [1, S]
        Tensor allowed = k.le(q);
        if (windowBites) allowed = allowed.logical_and(q.sub(k).lt(new Scalar(config.slidingWindow())));
        Tensor m = allowed.unsqueeze(0).unsqueeze(0); // [1, 1, T, S]
        if (mask != null) {
            m = m.logical_and(mask.view(batch, 1, 1, total)).logical_or(k.eq(q).unsqueeze(0).unsqueeze(0));
        }
        return m.expand(batch, 1, time, total);
    }

    // ---------------------------------------------------------------- caches, parameters, export

    /** A cache for {@code batch} sequences of up to {@code maxTokens} tokens; it outlives any open NativeScope. */
    public KvCache newCache(int batch, int maxTokens) {
        if (maxTokens < 1) throw new IllegalArgumentException("maxTokens must be >= 1");
        TensorOptions o = new TensorOptions(dtype.scalarType()).device(new DeviceOptional(device.toTorch()));
        return new KvCache(config.numLayers(), batch, config.numKvHeads(), maxTokens, config.headDim(), o);
    }

    public ModelConfig config() {
        return config;
    }

    public DType dtype() {
        return dtype;
    }

    public ComputeDevice device() {
        return device;
    }

    /** The projection {@code kind} of layer {@code layer}. */
    public Projection projection(int layer, ProjectionKind kind) {
        return layers.get(layer).projections.get(kind);
    }

    /** Replaces a projection, e.g. to wrap it with LoRA or swap in a quantized one. */
    public void replaceProjection(int layer, ProjectionKind kind, UnaryOperator<Projection> replacement) {
        layers.get(layer).projections.compute(kind, (k, p) -> replacement.apply(p));
    }

    /**
     * Gives up the stored tensor {@code name} (Hugging Face name) the model no longer uses, e.g. a weight replaced
     * by its quantized form and emptied: when it is mapped from the checkpoint file, its pages leave resident
     * memory. The caller guarantees no tensor still views it.
     */
    public void releaseStoredTensor(String name) {
        weightSource.release(name);
    }

    public Projection lmHead() {
        return lmHead;
    }

    public void replaceLmHead(UnaryOperator<Projection> replacement) {
        lmHead = replacement.apply(lmHead);
    }

    /**
     * The model's tensors by Hugging Face name (a tied LM head appears once, as the embedding). Projections that are
     * not plain {@link Linear} layers (quantized, or still wrapped with adapters) are reported through their base
     * {@link Linear} when they expose one via {@link Unwrappable}; otherwise they are left out.
     */
    public Map<String, Tensor> namedParameters() {
        Map<String, Tensor> p = new LinkedHashMap<>();
        p.put(ParameterLayout.EMBED, embedTokens);
        for (int i = 0; i < layers.size(); i++) {
            Layer layer = layers.get(i);
            p.put(ParameterLayout.inputNorm(i), layer.inputNorm);
            p.put(ParameterLayout.postAttentionNorm(i), layer.postAttentionNorm);
            for (ProjectionKind k : ProjectionKind.values()) {
                Linear linear = Unwrappable.linearOf(layer.projections.get(k));
                if (linear == null) continue;
                p.put(k.moduleName(i) + ".weight", linear.weight());
                if (linear.bias() != null) p.put(k.moduleName(i) + ".bias", linear.bias());
            }
        }
        p.put(ParameterLayout.FINAL_NORM, finalNorm);
        Linear head = Unwrappable.linearOf(lmHead);
        if (!config.tieWordEmbeddings() && head != null) p.put(ParameterLayout.LM_HEAD, head.weight());
        return p;
    }

    /** Writes this model as a Hugging Face directory, with the tokenizer files of the directory it came from. */
    public void save(Path dir) {
        save(dir, DEFAULT_MAX_SHARD_BYTES);
    }

    public void save(Path dir, long maxShardBytes) {
        Map<String, Tensor> params = namedParameters();
        if (params.size() != ParameterLayout.of(config).size()) {
            throw new IllegalStateException("cannot save: some projections are not dense (quantized or unmerged adapters)");
        }
        ObjectNode json = configJson();
        HfCheckpointWriter.write(dir, json, params, maxShardBytes);
        copyCompanionFiles(dir);
    }

    /** The config.json this model saves with: the source directory's, with the dtype field updated. */
    public ObjectNode configJson() {
        ObjectNode json;
        if (sourceDir != null) {
            try {
                // Keep every field of the original (ids, templates, architectures): only the dtype may change.
                json = (ObjectNode) JSON.readTree(sourceDir.resolve("config.json").toFile());
            } catch (IOException e) {
                throw new UncheckedIOException(e);
            }
        } else {
            json = config.toJson();
        }
        // transformers 5 writes "dtype", earlier versions "torch_dtype": keep the original's spelling.
        json.put(json.has("dtype") ? "dtype" : "torch_dtype", dtype.hfName());
        return json;
    }

    /** Copies the tokenizer and generation files of the directory this model was loaded from, if any. */
    public void copyCompanionFiles(Path dir) {
        if (sourceDir == null) return;
        for (String f : List.of("tokenizer.json", "tokenizer_config.json", "generation_config.json",
                "special_tokens_map.json", "tokenizer.model")) {
            Path src = sourceDir.resolve(f);
            if (!Files.isRegularFile(src)) continue;
            try {
                Files.copy(src, dir.resolve(f), StandardCopyOption.REPLACE_EXISTING);
            } catch (IOException e) {
                throw new UncheckedIOException("cannot copy " + src + ": " + e.getMessage(), e);
            }
        }
    }

    /** Number of layers. */
    public int numLayers() {
        return layers.size();
    }
}
