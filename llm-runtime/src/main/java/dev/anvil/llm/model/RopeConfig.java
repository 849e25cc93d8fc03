package dev.anvil.llm.model;

/**
 * Rotary position embedding settings. {@code type} is "default" or "llama3"; the llama3 fields are only
 * meaningful for the latter (Llama 3.1's frequency-dependent scaling).
 */
public record RopeConfig(double theta, String type, double factor, double lowFreqFactor, double highFreqFactor,
                         int originalMaxPositions) {

    public static final String DEFAULT = "default";
    public static final String LLAMA3 = "llama3";

    public static RopeConfig plain(double theta) {
        return new RopeConfig(theta, DEFAULT, 1, 1, 1, 0);
    }

    public boolean isLlama3() {
        return LLAMA3.equals(type);
    }

    /**
     * Inverse frequencies for a head dimension, as transformers computes them ({@code _compute_default_rope_parameters}
     * and {@code _compute_llama3_parameters}).
     */
    public float[] inverseFrequencies(int headDim) {
        float[] inv = new float[headDim / 2];
        for (int i = 0; i < inv.length; i++) {
            // transformers evaluates base ** (2i/dim) in float32 on a float32 exponent.
            float exponent = (float) (2 * i) / headDim;
            double f = 1.0 / Math.pow(theta, exponent);
            if (isLlama3()) f = llama3Scale(f);
            inv[i] = (float) f;
        }
        return inv;
    }

    private double llama3Scale(double invFreq) {
        double lowFreqWavelen = originalMaxPositions / lowFreqFactor;
        double highFreqWavelen = originalMaxPositions / highFreqFactor;
        double wavelen = 2 * Math.PI / invFreq;
        if (wavelen < highFreqWavelen) return invFreq;            // high frequencies: unchanged
        if (wavelen > lowFreqWavelen) return invFreq / factor;    // low frequencies: scaled down
        double smooth = (originalMaxPositions / wavelen - lowFreqFactor) / (highFreqFactor - lowFreqFactor);
        return (1 - smooth) * invFreq / factor + smooth * invFreq;
    }
}
