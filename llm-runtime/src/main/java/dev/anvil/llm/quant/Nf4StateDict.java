package dev.anvil.llm.quant;

import java.nio.charset.StandardCharsets;
import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.Map;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;

import org.bytedeco.javacpp.BytePointer;
import org.bytedeco.javacpp.PointerScope;
import org.bytedeco.pytorch.Tensor;
import org.bytedeco.pytorch.TensorOptions;
import org.bytedeco.pytorch.global.torch;
import org.bytedeco.pytorch.global.torch.ScalarType;

/**
 * The named tensors of an {@link Nf4Tensor}, in the layout bitsandbytes saves a {@code Linear4bit} weight with
 * (and Hugging Face pre-quantized checkpoints carry), so that one safetensors file can hold model weights and
 * their quantization state. For a weight named {@code p}:
 * <pre>
 * p                                 uint8 [(numel+1)/2, 1]  two codes per byte, the earlier weight high
 * p.absmax                          uint8 [blocks] (double-quantized) or fp32 [blocks]
 * p.quant_map                       fp32  [16]   the NF4 values
 * p.nested_absmax                   fp32  [ceil(blocks/256)]   (double-quantized only)
 * p.nested_quant_map                fp32  [256]  the 8-bit dynamic code   (double-quantized only)
 * p.quant_state.bitsandbytes__nf4   uint8 [...]  UTF-8 JSON: quant_type, blocksize, dtype, shape,
 *                                                nested_blocksize, nested_dtype, nested_offset
 * </pre>
 * The layout follows bitsandbytes' {@code QuantState.as_dict(packed=True)}; it has not been checked against a
 * file written by bitsandbytes itself.
 */
final class Nf4StateDict {

    static final String ABSMAX = ".absmax";
    static final String QUANT_MAP = ".quant_map";
    static final String NESTED_ABSMAX = ".nested_absmax";
    static final String NESTED_QUANT_MAP = ".nested_quant_map";
    static final String QUANT_STATE = ".quant_state.bitsandbytes__nf4";

    /** A quant state is a few hundred bytes; anything far larger is not one. */
    private static final long MAX_QUANT_STATE_BYTES = 64 * 1024;
    private static final int MAX_DIMS = 8;
    private static final ObjectMapper JSON = new ObjectMapper();

    private Nf4StateDict() {
    }

    /** Views of {@code t}'s state (they share its memory: do not modify them) plus the JSON quant state. */
    static Map<String, Tensor> write(Nf4Tensor t, String prefix) {
        long packedBytes = Tensors.ceilDiv(t.numel(), 2);
        Map<String, Tensor> out = new LinkedHashMap<>();
        out.put(prefix, t.packedCodes().narrow(0, 0, packedBytes).view(packedBytes, 1));
        ObjectNode meta = JSON.createObjectNode();
        meta.put("quant_type", "nf4");
        meta.put("blocksize", t.blockSize());
        meta.put("dtype", dtypeName(t.sourceType()));
        ArrayNode shape = meta.putArray("shape");
        Arrays.stream(t.shape()).forEach(shape::add);
        out.put(prefix + QUANT_MAP, t.codebook());
        if (t.scales() instanceof DoubleQuantizedScales dq) {
            out.put(prefix + ABSMAX, dq.codes());
            out.put(prefix + NESTED_ABSMAX, dq.nestedAbsmax());
            out.put(prefix + NESTED_QUANT_MAP, dq.dynamicCode());
            meta.put("nested_blocksize", dq.nestedBlockSize());
            meta.put("nested_dtype", "float32");
            meta.put("nested_offset", dq.offset());
        } else {
            out.put(prefix + ABSMAX, t.scales().dequantize());
        }
        out.put(prefix + QUANT_STATE, bytesTensor(meta.toString().getBytes(StandardCharsets.UTF_8)));
        return out;
    }

    static Nf4Tensor read(Map<String, Tensor> tensors, String prefix) {
        JsonNode meta = readQuantState(tensors, prefix);
        String quantType = meta.path("quant_type").asText();
        if (!"nf4".equals(quantType)) {
            throw new IllegalArgumentException(prefix + QUANT_STATE + ": quant_type must be nf4, got '" + quantType + "'");
        }
        boolean nested = meta.has("nested_blocksize");
        // Validates both block sizes against the supported range.
        Nf4Options options = new Nf4Options(intField(meta, "blocksize", prefix),
                nested, nested ? intField(meta, "nested_blocksize", prefix) : Nf4Options.QLORA.scaleBlockSize());
        long[] shape = shapeField(meta, prefix);
        long numel = numel(shape, prefix);
        long blocks = Tensors.ceilDiv(numel, options.blockSize());
        ScalarType sourceType = dtypeFromName(meta.path("dtype").asText(), prefix + QUANT_STATE + ".dtype");

        try (PointerScope scope = new PointerScope()) {
            Tensor packed = require(tensors, prefix, ScalarType.Byte, Tensors.ceilDiv(numel, 2)).reshape(-1);
            Tensor codebook = require(tensors, prefix + QUANT_MAP, ScalarType.Float, Codebook.NF4_SIZE);
            Tensor paddedCodes = Tensors.padTo(packed, blocks * options.blockSize() / 2).clone();
            BlockScales scales;
            if (nested) {
                Tensor codes = require(tensors, prefix + ABSMAX, ScalarType.Byte, blocks);
                long nestedBlocks = Tensors.ceilDiv(blocks, options.scaleBlockSize());
                Tensor nestedAbsmax = require(tensors, prefix + NESTED_ABSMAX, ScalarType.Float, nestedBlocks);
                Tensor dynamicCode = require(tensors, prefix + NESTED_QUANT_MAP, ScalarType.Float,
                        Codebook.DYNAMIC_SIZE);
                if (!meta.path("nested_offset").isNumber()) {
                    throw new IllegalArgumentException(prefix + QUANT_STATE + ": nested_offset missing or not a number");
                }
                scales = new DoubleQuantizedScales(
                        codes.reshape(-1).clone(),
                        nestedAbsmax.reshape(-1).clone(), dynamicCode.reshape(-1).clone(),
                        meta.get("nested_offset").floatValue(), blocks, options.scaleBlockSize());
            } else {
                Tensor absmax = require(tensors, prefix + ABSMAX, ScalarType.Float, blocks);
                scales = new PlainScales(absmax.reshape(-1).clone());
            }
            return new Nf4Tensor(shape, options.blockSize(), paddedCodes, scales, codebook.reshape(-1).clone(),
                    sourceType);
        }
    }

    private static JsonNode readQuantState(Map<String, Tensor> tensors, String prefix) {
        String name = prefix + QUANT_STATE;
        Tensor state = tensors.get(name);
        if (state == null) {
            String other = tensors.containsKey(prefix + ".quant_state.bitsandbytes__fp4")
                    ? " (found an FP4 state, which is not supported)" : "";
            throw new IllegalArgumentException("no NF4 quantization state '" + name + "'" + other);
        }
        if (state.scalar_type().intern() != ScalarType.Byte || state.numel() > MAX_QUANT_STATE_BYTES) {
            throw new IllegalArgumentException(name + " must be a uint8 tensor of at most " + MAX_QUANT_STATE_BYTES
                    + " bytes, got " + state.scalar_type().intern() + " with " + state.numel() + " elements");
        }
        try (PointerScope scope = new PointerScope()) {
            Tensor cpu = state.cpu().contiguous();
            byte[] bytes = new byte[(int) cpu.numel()];
            new BytePointer(cpu.data_ptr()).capacity(bytes.length).get(bytes);
            JsonNode node = JSON.readTree(new String(bytes, StandardCharsets.UTF_8));
            if (node == null || !node.isObject()) {
                throw new IllegalArgumentException(name + " must hold a JSON object");
            }
            return node;
        } catch (JsonProcessingException e) {
            throw new IllegalArgumentException(name + " is not valid JSON: " + e.getOriginalMessage(), e);
        }
    }

    private static Tensor require(Map<String, Tensor> tensors, String name, ScalarType type, long numel) {
        Tensor t = tensors.get(name);
        if (t == null) {
            throw new IllegalArgumentException("missing NF4 state tensor '" + name + "'");
        }
        if (t.scalar_type().intern() != type || t.numel() != numel) {
            throw new IllegalArgumentException("NF4 state tensor '" + name + "' must be " + type + " with " + numel
                    + " elements, got " + t.scalar_type().intern() + " " + Arrays.toString(Tensors.shape(t)));
        }
        return t;
    }

    private static int intField(JsonNode meta, String field, String prefix) {
        JsonNode node = meta.get(field);
        if (node == null || !node.canConvertToInt()) {
            throw new IllegalArgumentException(prefix + QUANT_STATE + ": " + field + " missing or not an integer");
        }
        return node.intValue();
    }

    private static long[] shapeField(JsonNode meta, String prefix) {
        JsonNode node = meta.get("shape");
        if (node == null || !node.isArray() || node.isEmpty() || node.size() > MAX_DIMS) {
            throw new IllegalArgumentException(prefix + QUANT_STATE + ": shape must be a list of 1 to " + MAX_DIMS
                    + " dimensions");
        }
        long[] shape = new long[node.size()];
        for (int i = 0; i < shape.length; i++) {
            JsonNode dim = node.get(i);
            if (!dim.canConvertToLong() || dim.longValue() <= 0) {
                throw new IllegalArgumentException(prefix + QUANT_STATE + ": shape[" + i + "] must be a positive integer, got " + dim);
            }
            shape[i] = dim.longValue();
        }
        return shape;
    }

    private static long numel(long[] shape, String prefix) {
        try {
            return Arrays.stream(shape).reduce(1, Math::multiplyExact);
        } catch (ArithmeticException e) {
            throw new IllegalArgumentException(prefix + QUANT_STATE + ": shape " + Arrays.toString(shape)
                    + " has more elements than a tensor can hold", e);
        }
    }

    private static Tensor bytesTensor(byte[] bytes) {
        return torch.from_blob(new BytePointer(bytes), new long[] {bytes.length}, new TensorOptions(ScalarType.Byte))
                .clone();
    }

    /** bitsandbytes writes {@code str(dtype)} without the {@code torch.} prefix. */
    private static String dtypeName(ScalarType type) {
        return switch (type.intern()) {
            case Float -> "float32";
            case BFloat16 -> "bfloat16";
            case Half -> "float16";
            default -> throw new IllegalStateException("unexpected source dtype " + type);
        };
    }

    private static ScalarType dtypeFromName(String name, String field) {
        return switch (name) {
            case "float32" -> ScalarType.Float;
            case "bfloat16" -> ScalarType.BFloat16;
            case "float16" -> ScalarType.Half;
            default -> throw new IllegalArgumentException(field + " must be float32, bfloat16 or float16, got '" + name + "'");
        };
    }
}
