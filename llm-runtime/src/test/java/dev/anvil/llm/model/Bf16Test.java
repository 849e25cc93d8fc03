package dev.anvil.llm.model;

import com.fasterxml.jackson.databind.JsonNode;
import dev.anvil.llm.testing.Golden;
import dev.anvil.llm.torch.DType;
import dev.anvil.llm.torch.NativeScope;
import dev.anvil.llm.torch.Tensors;
import org.bytedeco.pytorch.NoGradGuard;
import org.bytedeco.pytorch.Tensor;
import org.bytedeco.pytorch.global.torch;
import org.junit.jupiter.api.Test;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** bfloat16 compute: weights converted once at load, numbers close to float32 within bf16's 8-bit mantissa. */
class Bf16Test {

    /** bf16 keeps ~3 significant digits; aidreams' logits reach ~15, and 4 layers accumulate rounding. */
    static final double TOLERANCE = 0.2; // measured 0.096

    @Test
    void bf16ForwardIsCloseToFloat32() {
        LlamaModel model = LlamaModel.load(Golden.model("aidreams260K"), LoadOptions.defaults().withDtype(DType.BFLOAT16));
        JsonNode golden = Golden.json(Golden.golden("aidreams260K_golden.json"));
        long[] ids = Golden.ids(golden.get("prompt_ids"));
        float[][] expected = Golden.matrix(golden.get("logits"));
        try (NativeScope s = new NativeScope(); NoGradGuard g = new NoGradGuard()) {
            Tensor logits = model.forward(Golden.batchOf(ids), null);
            assertTrue(logits.scalar_type().intern() == torch.ScalarType.BFloat16);
            double diff = Golden.maxAbsDiff(logits, expected);
            assertTrue(diff < TOLERANCE, "bf16 max |logit diff| = " + diff);
            long[] argmax = Tensors.toLongs(logits.argmax(new org.bytedeco.pytorch.LongOptional(-1), false));
            int agree = 0;
            for (int t = 0; t < expected.length; t++) {
                int best = 0;
                for (int v = 1; v < expected[t].length; v++) if (expected[t][v] > expected[t][best]) best = v;
                if (argmax[t] == best) agree++;
            }
            assertTrue(agree >= expected.length - 2, "top-1 agreement " + agree + "/" + expected.length);
        }
        long[] bos = {1};
        long[] fp32 = new TokenGenerator(LlamaModel.load(Golden.model("aidreams260K"), LoadOptions.defaults())).greedy(bos, 8);
        assertArrayEquals(fp32, new TokenGenerator(model).greedy(bos, 8), "first 8 greedy tokens agree");
    }
}
