package dev.anvil.llm.quant;

import java.io.PrintStream;
import java.nio.file.Files;
import java.nio.file.Path;

import dev.anvil.llm.model.LlamaModel;
import dev.anvil.llm.model.LoadOptions;
import dev.anvil.llm.torch.DType;

/**
 * What {@code anvil-llm quantize --model DIR --out DIR} does: writes an NF4 (QLoRA) checkpoint of a Hugging Face model directory and
 * prints what it costs per parameter.
 */
public final class ModelQuantizer {

    private ModelQuantizer() {
    }

    /** The parsed arguments: the model to read and the directory to write (created; must not be the model's). */
    public record Arguments(Path model, Path out) {
        public Arguments {
            if (model == null) throw new IllegalArgumentException("--model is required");
            if (out == null) throw new IllegalArgumentException("--out is required");
            if (!Files.isRegularFile(model.resolve("config.json"))) {
                throw new IllegalArgumentException("--model " + model + ": no config.json there");
            }
            if (model.toAbsolutePath().normalize().equals(out.toAbsolutePath().normalize())) {
                throw new IllegalArgumentException("--out must differ from --model (" + out + ")");
            }
        }
    }

    /**
     * Quantizes all seven projections of every layer (QLoRA's setting) from the float32 weights, keeps
     * embeddings, norms and LM head in float32, writes {@code out} and prints the report.
     */
    public static QuantizedBase.Report run(Arguments args, PrintStream out) {
        LlamaModel model = LlamaModel.load(args.model(), LoadOptions.defaults().withDtype(DType.FLOAT32));
        QuantizedBase.Report report = QuantizedBase.quantize(model, QuantizedBase.ALL_PROJECTIONS);
        QuantizedCheckpoint.save(model, args.out());
        out.printf("wrote %s%n", args.out());
        out.printf("quantized: %,d parameters in NF4 (block 64, double-quantized): %.3f bits per parameter%n",
                report.quantizedParameters(), report.bitsPerQuantizedParameter());
        out.printf("model: %,d parameters, %,d bytes: %.3f bits per parameter%n",
                report.totalParameters(), report.totalBytes(), report.bitsPerParameter());
        return report;
    }
}
