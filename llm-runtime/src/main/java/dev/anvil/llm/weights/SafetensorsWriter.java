package dev.anvil.llm.weights;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.anvil.llm.torch.Tensors;
import org.bytedeco.javacpp.BytePointer;
import org.bytedeco.pytorch.Device;
import org.bytedeco.pytorch.Tensor;
import org.bytedeco.pytorch.global.torch;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.channels.FileChannel;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;

/** Writes named tensors as one safetensors file, atomically (temporary file + rename). */
public final class SafetensorsWriter {

    private static final int CHUNK = 1 << 30;

    private SafetensorsWriter() {}

    /** Writes {@code tensors} in their iteration order; {@code metadata} may be empty. */
    public static void write(Path file, Map<String, Tensor> tensors, Map<String, String> metadata) {
        List<String> names = new ArrayList<>(tensors.keySet());
        List<Tensor> data = new ArrayList<>(names.size());
        ObjectNode header = new ObjectMapper().createObjectNode();
        if (!metadata.isEmpty()) {
            ObjectNode meta = header.putObject("__metadata__");
            metadata.forEach(meta::put);
        }
        long offset = 0;
        for (String name : names) {
            Tensor t = onCpuContiguous(tensors.get(name));
            data.add(t);
            ObjectNode entry = header.putObject(name);
            entry.put("dtype", SafetensorsDType.of(t.scalar_type()).name());
            ArrayNode shape = entry.putArray("shape");
            for (long d : Tensors.shape(t)) shape.add(d);
            long n = t.nbytes();
            entry.putArray("data_offsets").add(offset).add(offset + n);
            offset += n;
        }
        byte[] json = header.toString().getBytes(StandardCharsets.UTF_8);
        // Pad the header with spaces so tensor data starts 8-byte aligned, as the reference writer does.
        int padded = (json.length + 7) / 8 * 8;
        ByteBuffer head = ByteBuffer.allocate(8 + padded).order(ByteOrder.LITTLE_ENDIAN);
        head.putLong(padded).put(json);
        while (head.hasRemaining()) head.put((byte) ' ');
        head.flip();
        try {
            AtomicFiles.write(file, ch -> {
                writeAll(ch, head);
                for (Tensor t : data) writeTensor(ch, t);
            });
        } catch (IOException e) {
            throw new UncheckedIOException("cannot write " + file + ": " + e.getMessage(), e);
        }
    }

    private static Tensor onCpuContiguous(Tensor t) {
        Tensor cpu = t.is_cuda() ? t.detach().to(new Device(torch.DeviceType.CPU), t.scalar_type()) : t.detach();
        return cpu.contiguous();
    }

    private static void writeTensor(FileChannel ch, Tensor t) throws IOException {
        long n = t.nbytes();
        if (n == 0) return;
        for (long pos = 0; pos < n; pos += CHUNK) {
            long end = Math.min(n, pos + CHUNK);
            BytePointer chunk = new BytePointer(t.data_ptr());
            chunk.capacity(end).limit(end).position(pos);
            writeAll(ch, chunk.asByteBuffer());
        }
    }

    private static void writeAll(FileChannel ch, ByteBuffer buf) throws IOException {
        while (buf.hasRemaining()) ch.write(buf);
    }
}
