package dev.anvil.eval.evaluation;

/**
 * One side of an evaluation, resolved and checked: a base model under {@code models/}, with a PEFT adapter attached
 * when {@code adapterPath} is set; or a model folder of its own ({@code modelPath}: merged or fully fine-tuned), with
 * the base it came from when known. Paths are data-dir relative.
 */
public record ModelUnderTest(String baseModel, String adapterPath, String modelPath) {

    public ModelUnderTest {
        if (modelPath == null && baseModel == null) throw new IllegalArgumentException("a base model or a model path");
        if (modelPath != null && adapterPath != null) throw new IllegalArgumentException("an adapter or a model path");
    }

    public static ModelUnderTest base(String name) {
        return new ModelUnderTest(name, null, null);
    }

    /** How the side is named in reasons and logs. */
    public String describe() {
        if (modelPath != null) return modelPath;
        return adapterPath == null ? baseModel : baseModel + " + " + adapterPath;
    }
}
