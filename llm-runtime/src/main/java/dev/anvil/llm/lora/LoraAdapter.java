package dev.anvil.llm.lora;

import dev.anvil.llm.model.Linear;
import dev.anvil.llm.model.LlamaModel;
import dev.anvil.llm.model.ModelConfig;
import dev.anvil.llm.model.Projection;
import dev.anvil.llm.model.ProjectionKind;
import dev.anvil.llm.model.Unwrappable;
import dev.anvil.llm.quant.Nf4Linear;
import dev.anvil.llm.torch.ComputeDevice;
import dev.anvil.llm.torch.NativeScope;
import dev.anvil.llm.torch.Tensors;
import dev.anvil.llm.weights.PeftAdapterFiles;
import dev.anvil.llm.weights.PeftAdapterFiles.LoraPair;
import dev.anvil.llm.weights.PeftAdapterFiles.PeftAdapter;
import org.bytedeco.pytorch.Device;
import org.bytedeco.pytorch.NoGradGuard;
import org.bytedeco.pytorch.Scalar;
import org.bytedeco.pytorch.Tensor;
import org.bytedeco.pytorch.TensorOptions;
import org.bytedeco.pytorch.global.torch;
import org.bytedeco.pytorch.global.torch.ScalarType;

import java.nio.file.Path;
import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.TreeSet;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * A named LoRA adapter: low-rank A and B per adapted projection. Loaded from or saved to PEFT's format, created
 * fresh for training, attached to a model (several adapters may share one base; see {@link
 * dev.anvil.llm.model.AdapterRouting}) or merged into its weights.
 */
public final class LoraAdapter {

    private static final Pattern MODULE = Pattern.compile("model\\.layers\\.(\\d+)\\.(self_attn|mlp)\\.(\\w+)");

    /** One projection's adapter weights; {@code a} is {@code [r, in]}, {@code b} is {@code [out, r]}. */
    public final class Weights {
        final int layer;
        final ProjectionKind kind;
        final Tensor a;
        final Tensor b;

        Weights(int layer, ProjectionKind kind, Tensor a, Tensor b) {
            this.layer = layer;
            this.kind = kind;
            this.a = NativeScope.retain(a);
            this.b = NativeScope.retain(b);
        }

        /** {@code scaling * B A dropout(x)}, computed in the adapter's dtype, returned in x's. */
        Tensor delta(Tensor x) {
            Tensor in = x.to(a.scalar_type());
            if (training && config.dropout() > 0) in = torch.dropout(in, config.dropout(), true);
            Tensor d = torch.linear(torch.linear(in, a), b).mul(new Scalar(config.scaling()));
            return d.to(x.scalar_type());
        }

        /** {@code scaling * B A}, the update merging adds to the base weight. */
        Tensor deltaWeight() {
            return b.matmul(a).mul(new Scalar(config.scaling()));
        }
    }

    private final String name;
    private final LoraConfig config;
    private final String baseModel;
    private final Map<String, Weights> modules;
    private volatile boolean training;

    private LoraAdapter(String name, LoraConfig config, String baseModel, Map<String, Weights> modules) {
        this.name = name;
        this.config = config;
        this.baseModel = baseModel;
        this.modules = modules;
    }

    /** Reads a PEFT adapter directory. */
    public static LoraAdapter load(Path dir, String name) {
        PeftAdapter peft = PeftAdapterFiles.read(dir);
        TreeSet<ProjectionKind> kinds = new TreeSet<>();
        Map<String, Tensor[]> tensors = new LinkedHashMap<>();
        peft.modules().forEach((module, pair) -> {
            kinds.add(parseModule(module).kind);
            tensors.put(module, new Tensor[]{pair.a(), pair.b()});
        });
        if (kinds.isEmpty()) throw new IllegalArgumentException(dir + ": adapter has no LoRA tensors");
        LoraConfig config = new LoraConfig(peft.r(), peft.alpha(), peft.dropout(), kinds, peft.rsLora());
        LoraAdapter adapter = new LoraAdapter(name, config, peft.baseModel(), new LinkedHashMap<>());
        tensors.forEach((module, ab) -> {
            ModuleRef ref = parseModule(module);
            adapter.modules.put(module, adapter.new Weights(ref.layer, ref.kind, ab[0], ab[1]));
        });
        return adapter;
    }

    /**
     * A fresh, trainable adapter initialised as PEFT does: A kaiming-uniform (a = sqrt 5, i.e. U(+-1/sqrt(in))),
     * B zero, so the adapted model starts equal to the base.
     */
    public static LoraAdapter create(String name, ModelConfig model, LoraConfig config, long seed) {
        torch.manual_seed(seed);
        LoraAdapter adapter = new LoraAdapter(name, config, null, new LinkedHashMap<>());
        TensorOptions f32 = new TensorOptions(ScalarType.Float);
        for (int layer = 0; layer < model.numLayers(); layer++) {
            for (ProjectionKind kind : config.targets()) {
                long[] shape = kind.weightShape(model);
                double bound = 1.0 / Math.sqrt(shape[1]);
                Tensor a = torch.rand(new long[]{config.r(), shape[1]}, f32).mul(new Scalar(2 * bound))
                        .sub(new Scalar(bound));
                Tensor b = torch.zeros(new long[]{shape[0], config.r()}, f32);
                a.requires_grad_(true);
                b.requires_grad_(true);
                adapter.modules.put(kind.moduleName(layer), adapter.new Weights(layer, kind, a, b));
            }
        }
        return adapter;
    }

    private record ModuleRef(int layer, ProjectionKind kind) {}

    private static ModuleRef parseModule(String module) {
        Matcher m = MODULE.matcher(module);
        if (!m.matches()) {
            throw new IllegalArgumentException("adapter module '" + module + "' is not a decoder layer projection");
        }
        ProjectionKind kind = ProjectionKind.fromHfName(m.group(3));
        if (!kind.moduleName(Integer.parseInt(m.group(1))).equals(module)) {
            throw new IllegalArgumentException("adapter module '" + module + "': " + m.group(3) + " is not in " + m.group(2));
        }
        return new ModuleRef(Integer.parseInt(m.group(1)), kind);
    }

    /** Writes PEFT's {@code adapter_config.json} + {@code adapter_model.safetensors}. */
    public void save(Path dir) {
        Map<String, LoraPair> pairs = new LinkedHashMap<>();
        modules.forEach((module, w) -> pairs.put(module, new LoraPair(w.a.detach(), w.b.detach())));
        List<String> targets = config.targets().stream().map(ProjectionKind::hfName).sorted().toList();
        PeftAdapterFiles.write(dir, new PeftAdapter(config.r(), config.alpha(), config.dropout(), config.rsLora(),
                targets, baseModel, pairs));
    }

    /** This adapter with its weights on {@code device} (e.g. before attaching it to a CUDA model). */
    public LoraAdapter to(ComputeDevice device) {
        LoraAdapter moved = new LoraAdapter(name, config, baseModel, new LinkedHashMap<>());
        Device target = device.toTorch();
        modules.forEach((module, w) -> moved.modules.put(module, moved.new Weights(w.layer, w.kind,
                w.a.detach().to(target, w.a.scalar_type()), w.b.detach().to(target, w.b.scalar_type()))));
        return moved;
    }

    public String name() {
        return name;
    }

    public LoraConfig config() {
        return config;
    }

    /** Dropout is active only while training. */
    public void setTraining(boolean training) {
        this.training = training;
    }

    /** The trainable tensors by PEFT name ({@code base_model.model.<module>.lora_A.weight}). */
    public Map<String, Tensor> parameters() {
        Map<String, Tensor> p = new LinkedHashMap<>();
        modules.forEach((module, w) -> {
            p.put("base_model.model." + module + ".lora_A.weight", w.a);
            p.put("base_model.model." + module + ".lora_B.weight", w.b);
        });
        return p;
    }

    /** Makes this adapter available on {@code model} (applied to all rows, or to the rows routed to it). */
    public void attachTo(LlamaModel model) {
        for (Weights w : modules.values()) {
            checkFits(model, w);
            model.replaceProjection(w.layer, w.kind, p -> {
                LoraProjection lora = p instanceof LoraProjection lp ? lp : new LoraProjection(p);
                lora.put(name, w);
                return lora;
            });
        }
    }

    /** Whether an adapter called {@code name} is attached to {@code model} (to at least one projection). */
    public static boolean isAttached(LlamaModel model, String name) {
        for (int layer = 0; layer < model.numLayers(); layer++) {
            for (ProjectionKind kind : ProjectionKind.values()) {
                if (model.projection(layer, kind) instanceof LoraProjection lp && lp.contains(name)) return true;
            }
        }
        return false;
    }

    public void detachFrom(LlamaModel model) {
        for (Weights w : modules.values()) {
            model.replaceProjection(w.layer, w.kind, p -> {
                if (!(p instanceof LoraProjection lp)) return p;
                lp.remove(name);
                return lp.isEmpty() ? lp.base() : lp;
            });
        }
    }

    /**
     * Adds {@code scaling * B A} to the base weights, so the model computes the adapted function without the
     * adapter; detaches this adapter first if it was attached. The base weights are replaced, never written in
     * place (they may be read-only file mappings).
     *
     * <p>QLoRA: an NF4 base projection is dequantized to the model's dtype and the update added there, so the
     * merged projection is dense (the model can then be saved in Hugging Face layout and served without
     * bitsandbytes-style kernels), computing exactly what base + adapter computed. PEFT instead re-quantizes the
     * sum when the base stays 4-bit, which rounds the update away again; re-quantize explicitly with
     * {@link dev.anvil.llm.quant.QuantizedBase} if a 4-bit merged model is wanted.
     */
    public void mergeInto(LlamaModel model) {
        detachFrom(model);
        try (NoGradGuard noGrad = new NoGradGuard()) {
            for (Weights w : modules.values()) {
                checkFits(model, w);
                Projection p = model.projection(w.layer, w.kind);
                if (p instanceof Nf4Linear quantized) p = quantized.toLinear(model.dtype().scalarType());
                if (!(p instanceof Linear linear)) {
                    throw new IllegalStateException("cannot merge into " + w.kind.moduleName(w.layer)
                            + ": it is not a dense projection (" + p.getClass().getSimpleName() + ")");
                }
                Tensor base = linear.weight();
                Tensor merged = base.to(ScalarType.Float).add(w.deltaWeight().to(base.device(), ScalarType.Float))
                        .to(base.scalar_type());
                model.replaceProjection(w.layer, w.kind, old -> new Linear(NativeScope.retain(merged), linear.bias()));
            }
        }
    }

    private void checkFits(LlamaModel model, Weights w) {
        ModelConfig c = model.config();
        String module = w.kind.moduleName(w.layer);
        if (w.layer >= c.numLayers()) {
            throw new IllegalArgumentException("adapter '" + name + "': " + module + " but the model has "
                    + c.numLayers() + " layers");
        }
        long[] shape = w.kind.weightShape(c);
        long[] a = Tensors.shape(w.a);
        long[] b = Tensors.shape(w.b);
        if (a[1] != shape[1] || b[0] != shape[0]) {
            throw new IllegalArgumentException("adapter '" + name + "': " + module + " has A " + Arrays.toString(a)
                    + " and B " + Arrays.toString(b) + " but the base weight is " + Arrays.toString(shape));
        }
        Linear base = Unwrappable.linearOf(model.projection(w.layer, w.kind));
        if (base != null && base.weight().is_cuda() != w.a.is_cuda()) {
            throw new IllegalArgumentException("adapter '" + name + "' and the model are on different devices");
        }
    }
}
