package dev.anvil.llm.weights;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.anvil.llm.torch.Torch;
import org.bytedeco.javacpp.BytePointer;
import org.bytedeco.pytorch.Tensor;
import org.bytedeco.pytorch.TensorOptions;
import org.bytedeco.pytorch.global.torch;

import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.MappedByteBuffer;
import java.nio.channels.FileChannel;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.util.ArrayList;
import java.util.Collections;
import java.util.Comparator;
import java.util.Iterator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;

/**
 * A safetensors file read by memory mapping: an 8-byte little-endian header length, a JSON header, then raw
 * little-endian tensor data. The whole header is validated on open, so a truncated or corrupt file fails at once
 * with the tensor at fault named, never later with a crash inside libtorch.
 *
 * <p>Each tensor is mapped on its own (Java mappings are limited to 2 GiB, whole checkpoints are not). The mappings
 * are held by this object: keep it reachable while its tensors are in use.
 */
public final class SafetensorsFile implements TensorSource {

    /** The safetensors reference implementation refuses headers above 100 MB; so do we. */
    static final long MAX_HEADER_BYTES = 100L * 1024 * 1024;
    private static final ObjectMapper JSON = new ObjectMapper();

    private final Path path;
    private final long dataStart;
    private final Map<String, TensorInfo> tensors;
    private final Map<String, String> metadata;
    private final Map<String, MappedByteBuffer> mappings = new ConcurrentHashMap<>();

    private SafetensorsFile(Path path, long dataStart, Map<String, TensorInfo> tensors, Map<String, String> metadata) {
        this.path = path;
        this.dataStart = dataStart;
        this.tensors = tensors;
        this.metadata = metadata;
    }

    public static SafetensorsFile open(Path path) {
        try (FileChannel ch = FileChannel.open(path, StandardOpenOption.READ)) {
            long size = ch.size();
            if (size < 8) {
                throw new SafetensorsException(path + ": truncated file (" + size + " bytes, no 8-byte header length)");
            }
            ByteBuffer lenBuf = ByteBuffer.allocate(8).order(ByteOrder.LITTLE_ENDIAN);
            readFully(ch, lenBuf, 0);
            long headerLen = lenBuf.flip().getLong();
            if (headerLen < 2 || headerLen > MAX_HEADER_BYTES) {
                throw new SafetensorsException(path + ": header length " + headerLen + " out of range [2, "
                        + MAX_HEADER_BYTES + "]: not a safetensors file or corrupt");
            }
            if (8 + headerLen > size) {
                throw new SafetensorsException(path + ": truncated file: header declares " + headerLen
                        + " bytes but only " + (size - 8) + " follow");
            }
            ByteBuffer headerBuf = ByteBuffer.allocate((int) headerLen);
            readFully(ch, headerBuf, 8);
            String header = new String(headerBuf.array(), StandardCharsets.UTF_8);
            long dataStart = 8 + headerLen;
            return parse(path, header, dataStart, size - dataStart);
        } catch (IOException e) {
            throw new SafetensorsException(path + ": cannot read: " + e.getMessage(), e);
        }
    }

    private static SafetensorsFile parse(Path path, String header, long dataStart, long dataSize) {
        JsonNode root;
        try {
            root = JSON.readTree(header);
        } catch (IOException e) {
            throw new SafetensorsException(path + ": header is not valid JSON: " + e.getMessage());
        }
        if (root == null || !root.isObject()) {
            throw new SafetensorsException(path + ": header must be a JSON object");
        }
        Map<String, TensorInfo> tensors = new LinkedHashMap<>();
        Map<String, String> metadata = new LinkedHashMap<>();
        for (Iterator<Map.Entry<String, JsonNode>> it = root.fields(); it.hasNext(); ) {
            Map.Entry<String, JsonNode> e = it.next();
            if (e.getKey().equals("__metadata__")) {
                e.getValue().fields().forEachRemaining(m -> metadata.put(m.getKey(), m.getValue().asText()));
                continue;
            }
            tensors.put(e.getKey(), parseEntry(path, e.getKey(), e.getValue(), dataSize));
        }
        checkNoOverlap(path, tensors.values());
        return new SafetensorsFile(path, dataStart, Collections.unmodifiableMap(tensors),
                Collections.unmodifiableMap(metadata));
    }

    private static TensorInfo parseEntry(Path path, String name, JsonNode node, long dataSize) {
        String where = path + ": tensor '" + name + "'";
        if (!node.isObject()) throw new SafetensorsException(where + ": header entry is not an object");
        SafetensorsDType dtype;
        try {
            dtype = SafetensorsDType.valueOf(node.path("dtype").asText(""));
        } catch (IllegalArgumentException e) {
            throw new SafetensorsException(where + ": unsupported dtype '" + node.path("dtype").asText() + "'");
        }
        JsonNode shapeNode = node.get("shape");
        if (shapeNode == null || !shapeNode.isArray()) throw new SafetensorsException(where + ": missing shape");
        long[] shape = new long[shapeNode.size()];
        for (int i = 0; i < shape.length; i++) {
            JsonNode d = shapeNode.get(i);
            if (!d.canConvertToLong() || d.asLong() < 0) throw new SafetensorsException(where + ": bad shape " + shapeNode);
            shape[i] = d.asLong();
        }
        JsonNode off = node.get("data_offsets");
        if (off == null || !off.isArray() || off.size() != 2 || !off.get(0).canConvertToLong()
                || !off.get(1).canConvertToLong()) {
            throw new SafetensorsException(where + ": data_offsets must be [begin, end]");
        }
        long begin = off.get(0).asLong();
        long end = off.get(1).asLong();
        if (begin < 0 || end < begin) {
            throw new SafetensorsException(where + ": bad data_offsets [" + begin + ", " + end + "]");
        }
        TensorInfo info = new TensorInfo(name, dtype, shape, begin, end);
        long expected;
        try {
            expected = Math.multiplyExact(info.numel(), dtype.bytes());
        } catch (ArithmeticException e) {
            throw new SafetensorsException(where + ": shape " + info.shapeString() + " is too large");
        }
        if (end - begin != expected) {
            throw new SafetensorsException(where + ": data_offsets [" + begin + ", " + end + "] hold "
                    + (end - begin) + " bytes but " + dtype + " " + info.shapeString() + " needs " + expected);
        }
        if (end > dataSize) {
            throw new SafetensorsException(where + ": data_offsets [" + begin + ", " + end
                    + "] go past the end of the data (" + dataSize + " bytes): truncated file or corrupt header");
        }
        return info;
    }

    private static void checkNoOverlap(Path path, java.util.Collection<TensorInfo> infos) {
        List<TensorInfo> sorted = new ArrayList<>(infos);
        sorted.removeIf(t -> t.byteLength() == 0);
        sorted.sort(Comparator.comparingLong(TensorInfo::begin));
        for (int i = 1; i < sorted.size(); i++) {
            TensorInfo prev = sorted.get(i - 1);
            TensorInfo cur = sorted.get(i);
            if (cur.begin() < prev.end()) {
                throw new SafetensorsException(path + ": tensor '" + cur.name() + "' [" + cur.begin() + ", "
                        + cur.end() + ") overlaps tensor '" + prev.name() + "' [" + prev.begin() + ", " + prev.end() + ")");
            }
        }
    }

    private static void readFully(FileChannel ch, ByteBuffer buf, long pos) throws IOException {
        while (buf.hasRemaining()) {
            int n = ch.read(buf, pos);
            if (n < 0) throw new IOException("unexpected end of file");
            pos += n;
        }
    }

    public Path path() {
        return path;
    }

    public Map<String, String> metadata() {
        return metadata;
    }

    @Override
    public Set<String> names() {
        return tensors.keySet();
    }

    @Override
    public boolean contains(String name) {
        return tensors.containsKey(name);
    }

    @Override
    public TensorInfo info(String name) {
        TensorInfo info = tensors.get(name);
        if (info == null) throw new SafetensorsException(path + ": missing tensor '" + name + "'");
        return info;
    }

    @Override
    public Tensor tensor(String name) {
        TensorInfo info = info(name);
        Torch.init();
        TensorOptions options = new TensorOptions(info.dtype().scalarType());
        if (info.byteLength() == 0) {
            return torch.zeros(info.shape(), options);
        }
        MappedByteBuffer buffer = mappings.computeIfAbsent(name, n -> map(info));
        return torch.from_blob(new BytePointer(buffer), info.shape(), options);
    }

    @Override
    public void release(String name) {
        MappedByteBuffer buffer = mappings.remove(name);
        if (buffer != null) Unmapper.unmap(buffer);
    }

    private MappedByteBuffer map(TensorInfo info) {
        if (info.byteLength() > Integer.MAX_VALUE) {
            throw new SafetensorsException(path + ": tensor '" + info.name() + "' is larger than 2 GiB, not supported");
        }
        try (FileChannel ch = FileChannel.open(path, StandardOpenOption.READ)) {
            // The mapping stays valid after the channel closes.
            return ch.map(FileChannel.MapMode.READ_ONLY, dataStart + info.begin(), info.byteLength());
        } catch (IOException e) {
            throw new SafetensorsException(path + ": cannot map tensor '" + info.name() + "': " + e.getMessage(), e);
        }
    }
}
