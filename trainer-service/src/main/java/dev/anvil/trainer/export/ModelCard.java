package dev.anvil.trainer.export;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Locale;

import dev.anvil.events.training.Hyperparameters;
import dev.anvil.trainer.recipe.RecipeSpec;
import dev.anvil.trainer.recipe.RunResult;

/** The short {@code README.md} written beside an exported adapter or model: what it is and how it was trained. */
public final class ModelCard {

    private ModelCard() {
    }

    public static void write(Path dir, RecipeSpec spec, RunResult result) {
        Hyperparameters hp = spec.hyperparameters();
        String card = "# " + spec.jobId() + "\n\n"
                + "Fine-tuned from `" + spec.baseModel().getFileName() + "` with " + spec.method().wireName()
                + " on dataset version `" + spec.datasetVersion().getParent().getFileName() + "/"
                + spec.datasetVersion().getFileName() + "`, by Anvil's trainer-service.\n\n"
                + "| | |\n|---|---|\n"
                + "| steps | " + result.steps() + " (" + result.status().name().toLowerCase(Locale.ROOT) + ") |\n"
                + "| validation loss | " + format(result.initialValidationLoss()) + " before, "
                + format(result.bestValidationLoss()) + " best (step " + result.bestStep() + ") |\n"
                + "| learning rate | " + hp.learningRate() + ", " + hp.scheduler() + ", " + hp.warmupSteps()
                + " warm-up steps |\n"
                + "| batch | " + hp.microBatchSize() + " x " + hp.gradientAccumulation() + " accumulation, max "
                + hp.maxSeqLength() + " tokens, packing " + hp.packing() + ", loss on " + hp.lossOn() + " |\n"
                + (spec.method().wireName().equals("full") ? ""
                        : "| LoRA | r " + hp.loraRank() + ", alpha " + hp.loraAlpha() + ", dropout " + hp.loraDropout()
                                + ", targets " + String.join(", ", hp.targetModules()) + " |\n")
                + "| seed | " + hp.seed() + " |\n";
        try {
            Files.writeString(dir.resolve("README.md"), card, StandardCharsets.UTF_8);
        } catch (IOException e) {
            throw new UncheckedIOException("cannot write model card in " + dir + ": " + e.getMessage(), e);
        }
    }

    private static String format(double v) {
        return Double.isFinite(v) ? String.format(Locale.ROOT, "%.4f", v) : "n/a";
    }
}
