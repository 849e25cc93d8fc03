package dev.anvil.llm.torch;

import dev.anvil.llm.model.LlamaModel;
import dev.anvil.llm.model.LoadOptions;
import dev.anvil.llm.testing.Golden;
import org.bytedeco.javacpp.Pointer;
import org.bytedeco.pytorch.NoGradGuard;
import org.bytedeco.pytorch.Tensor;
import org.junit.jupiter.api.Test;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;

import static org.junit.jupiter.api.Assertions.assertTrue;

/** A forward pass in a loop, one {@link NativeScope} per step, must not grow native memory. */
class NativeMemoryTest {

    /** Modest bound: each step allocates ~2 MB of activations; 150 leaked steps would exceed this many times. */
    static final long MAX_GROWTH_BYTES = 48L << 20;

    @Test
    void rssStaysFlatAcrossForwardSteps() throws IOException {
        LlamaModel model = LlamaModel.load(Golden.model("aidreams260K"), LoadOptions.defaults());
        long[][] ids = new long[4][64];
        for (int r = 0; r < 4; r++) for (int t = 0; t < 64; t++) ids[r][t] = 1 + (r * 31 + t * 7) % 500;
        Tensor input = Tensors.longs(ids);
        try (NoGradGuard g = new NoGradGuard()) {
            for (int i = 0; i < 20; i++) step(model, input); // warm up allocator caches
            long before = rss();
            for (int i = 0; i < 150; i++) step(model, input);
            long growth = rss() - before;
            assertTrue(growth < MAX_GROWTH_BYTES, "RSS grew by " + (growth >> 20) + " MiB over 150 steps");
        }
    }

    @Test
    void modelAndAdapterLoadedInsideAScopeOutliveIt() {
        LlamaModel model;
        try (NativeScope scope = new NativeScope()) {
            model = LlamaModel.load(Golden.model("aidreams260K"), LoadOptions.defaults());
            dev.anvil.llm.lora.LoraAdapter.load(Golden.golden("peft-lora-aidreams260K"), "a").attachTo(model);
        }
        System.gc();
        try (NativeScope scope = new NativeScope(); NoGradGuard g = new NoGradGuard()) {
            float v = model.forward(Golden.batchOf(new long[]{1, 2, 3}), null).sum().item_float();
            assertTrue(Float.isFinite(v));
        }
    }

    private static void step(LlamaModel model, Tensor input) {
        try (NativeScope scope = new NativeScope()) {
            model.forward(input, null).sum().item_float();
        }
    }

    /** Resident set size from /proc (Linux), else JavaCPP's estimate. */
    private static long rss() throws IOException {
        Path status = Path.of("/proc/self/status");
        if (Files.isReadable(status)) {
            for (String line : Files.readAllLines(status)) {
                if (line.startsWith("VmRSS:")) return Long.parseLong(line.replaceAll("\\D+", "")) * 1024;
            }
        }
        return Pointer.physicalBytes();
    }
}
