package dev.anvil.trainer.recipe;

import java.nio.file.Files;
import java.nio.file.Path;

import dev.anvil.events.training.Hyperparameters;
import dev.anvil.events.training.TrainingMethod;
import dev.anvil.trainer.testing.ColorDataset;

/**
 * A fine-tuning run in a JVM of its own, for {@link KillAndResumeTest} to kill: {@code RecipeProcess <dir>} trains
 * {@link #spec} to the end and exports, as the service's worker would. The test and this process build the run from
 * the same {@link #spec}, so the only difference between them is the process boundary.
 */
public final class RecipeProcess {

    /** Steps of the run: long enough that the killing test always finds it mid-training. */
    static final int STEPS = 40;

    private RecipeProcess() {
    }

    /**
     * QLoRA with dropout and 2 accumulated micro-batches (the RNG and data position must survive), validation
     * every 3 steps (best/ and early-stopping state must survive), a checkpoint after every step, 2 kept.
     */
    static RecipeSpec spec(Path dir) {
        Hyperparameters hp = new Hyperparameters(5e-3, "linear", 2, null, STEPS, 3, 2, 128, false, null, 4, 8.0,
                0.1, null, 0.01, 1.0, 13L, 3, 0, 0.0, 1, 2, null);
        Path version = dir.resolve("data/datasets/colors/v1");
        if (!Files.isDirectory(version)) version = ColorDataset.write(dir.resolve("data"));
        return new RecipeSpec("job-1", ColorDataset.model(), version, dir.resolve("runs/job-1"), TrainingMethod.QLORA,
                hp);
    }

    public static void main(String[] args) {
        FineTuneRecipe recipe = new FineTuneRecipe(spec(Path.of(args[0])));
        recipe.setUp();
        RunResult result = recipe.train(ProgressListener.NONE, () -> false);
        recipe.export(result);
        System.out.println("finished " + result);
    }
}
