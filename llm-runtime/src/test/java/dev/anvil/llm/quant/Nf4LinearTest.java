package dev.anvil.llm.quant;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import org.bytedeco.javacpp.PointerScope;
import org.bytedeco.pytorch.Scalar;
import org.bytedeco.pytorch.Tensor;
import org.bytedeco.pytorch.TensorOptional;
import org.bytedeco.pytorch.global.torch;
import org.bytedeco.pytorch.global.torch.ScalarType;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

class Nf4LinearTest {

    private static final int IN = 256;
    private static final int OUT = 192;

    private PointerScope scope;
    private Tensor weight;
    private Tensor bias;

    @BeforeEach
    void setUp() {
        scope = new PointerScope();
        torch.manual_seed(42);
        weight = torch.randn(OUT, IN).mul(new Scalar(0.02));
        bias = torch.randn(OUT).mul(new Scalar(0.1));
    }

    @AfterEach
    void closeScope() {
        scope.close();
    }

    @Test
    void forwardIsTheDenseForwardOfTheDequantizedWeight() {
        Nf4Linear layer = new Nf4Linear(weight, bias);
        assertEquals(IN, layer.inFeatures());
        assertEquals(OUT, layer.outFeatures());
        Tensor x = torch.randn(2, 5, IN);
        Tensor y = layer.forward(x);
        assertArrayEquals(new long[] {2, 5, OUT}, Tensors.shape(y));
        // Same op on the same operands: bit-identical.
        Tensor dense = torch.linear(x, layer.dequantize(ScalarType.Float), new TensorOptional(bias));
        assertTrue(torch.equal(y, dense));
        Tensor noBias = new Nf4Linear(weight).forward(x);
        assertTrue(torch.equal(noBias, torch.linear(x, layer.dequantize(ScalarType.Float))));
    }

    /**
     * With x independent of the quantization error E, ||x E^T|| / ||x W^T|| is about RMS(E) / RMS(W): 0.092 for
     * NF4 on Gaussian weights (Nf4TensorTest). Bound 0.11 leaves room for the sampling noise of 192 outputs.
     */
    @Test
    void forwardStaysCloseToTheOriginalFp32Layer() {
        Tensor x = torch.randn(64, IN);
        Tensor exact = torch.linear(x, weight);
        Tensor quantized = new Nf4Linear(weight).forward(x);
        double relative = quantized.sub(exact).norm().item_double() / exact.norm().item_double();
        assertTrue(relative < 0.11, "relative output error " + relative);
        assertTrue(relative > 0.05, "relative output error " + relative + " is too small for 4 bits");
    }

    @Test
    void gradientReachesTheInputButNotTheWeightOrBias() {
        bias.requires_grad_(true);
        Tensor trainableWeight = weight.clone().requires_grad_(true);
        Nf4Linear layer = new Nf4Linear(trainableWeight, bias);
        Tensor x = torch.randn(3, IN).requires_grad_(true);
        Tensor y = layer.forward(x);
        assertTrue(y.requires_grad());
        y.sum().backward();

        // d(sum y)/dx = ones[3, OUT] @ W, with W the dequantized weight the forward used.
        Tensor expected = torch.ones(3, OUT).matmul(layer.dequantize(ScalarType.Float));
        assertTrue(x.grad().defined());
        assertTrue(x.grad().allclose(expected, 1e-5, 1e-6, false));
        assertFalse(layer.dequantize(ScalarType.Float).requires_grad());
        assertFalse(bias.grad().defined(), "the frozen bias must not collect a gradient");
        assertFalse(trainableWeight.grad().defined(), "the quantized weight must not collect a gradient");
    }

    /**
     * Three layers of one shape share one dequantization buffer: each forward refills it with its own weight, and
     * each backward's hook refills it again before the product that needs it. The input's gradient must be the
     * dense chain's over the same dequantized weights (to float32 rounding), the forward values identical to the
     * no-gradient path's, and the buffer one weight's size however many layers use it.
     */
    @Test
    void layersSharingOneBufferBackpropagateThroughTheirOwnWeights() {
        DequantScratch scratch = new DequantScratch();
        Nf4Linear[] layers = new Nf4Linear[3];
        for (int i = 0; i < layers.length; i++) {
            Tensor w = torch.randn(IN, IN).mul(new Scalar(0.05));
            Tensor b = i == 1 ? torch.randn(IN).mul(new Scalar(0.1)) : null; // one with a bias: the addmm path
            layers[i] = new Nf4Linear(Nf4Tensor.quantize(w, Nf4Options.QLORA), b, scratch);
        }
        Tensor input = torch.randn(2, 7, IN);
        Tensor x = input.clone().requires_grad_(true);
        Tensor reference = input.clone().requires_grad_(true);
        Tensor y = x;
        Tensor dense = reference;
        for (Nf4Linear layer : layers) {
            y = torch.tanh(layer.forward(y));
            TensorOptional b = layer.bias() == null ? new TensorOptional() : new TensorOptional(layer.bias());
            dense = torch.tanh(torch.linear(dense, layer.dequantize(ScalarType.Float), b));
        }
        y.pow(new Scalar(2)).sum().backward();
        dense.pow(new Scalar(2)).sum().backward();
        assertTrue(x.grad().allclose(reference.grad(), 1e-5, 1e-6, false),
                "max difference " + x.grad().sub(reference.grad()).abs().max().item_double());
        assertEquals((long) IN * IN * Float.BYTES, scratch.bytes());
        assertEquals(IN * IN, layers[0].weight().paddedNumel());

        Tensor noGrad = input;
        Tensor withGrad = input.clone().requires_grad_(true);
        for (Nf4Linear layer : layers) {
            noGrad = layer.forward(noGrad);
            withGrad = layer.forward(withGrad);
        }
        assertTrue(torch.equal(noGrad, withGrad.detach()), "the two paths compute the same values");
    }

    /** bf16 has an 8-bit mantissa: relative error of a 256-term dot product stays well under 2%. */
    @Test
    void bf16InputComputesInBf16() {
        Nf4Linear layer = new Nf4Linear(weight, bias);
        Tensor x = torch.randn(4, IN);
        Tensor y = layer.forward(x.to(ScalarType.BFloat16));
        assertEquals(ScalarType.BFloat16, y.scalar_type().intern());
        Tensor reference = layer.forward(x);
        double relative = y.to(ScalarType.Float).sub(reference).norm().item_double() / reference.norm().item_double();
        assertTrue(relative < 0.02, "bf16 vs fp32 relative error " + relative);
    }

    @Test
    void badShapesAreRejected() {
        Nf4Linear layer = new Nf4Linear(weight);
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class,
                () -> layer.forward(torch.randn(2, IN + 1)));
        assertTrue(e.getMessage().contains("[..., 256]"), e.getMessage());
        assertThrows(IllegalArgumentException.class,
                () -> new Nf4Linear(Nf4Tensor.quantize(torch.randn(2, 3, 64), Nf4Options.QLORA), null));
        e = assertThrows(IllegalArgumentException.class, () -> new Nf4Linear(weight, torch.randn(OUT + 1)));
        assertTrue(e.getMessage().contains("bias must be [192]"), e.getMessage());
    }
}
