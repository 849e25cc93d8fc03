package dev.anvil.events;

import dev.anvil.events.dataset.DatasetVersionCreated;
import dev.anvil.events.drift.DriftDetected;
import dev.anvil.events.evaluation.EvaluationCompleted;
import dev.anvil.events.evaluation.Verdict;
import dev.anvil.events.model.ModelVersionPromoted;
import dev.anvil.events.model.ModelVersionRegistered;
import dev.anvil.events.model.ModelVersionRolledBack;
import dev.anvil.events.model.TrafficSplitChanged;
import dev.anvil.events.training.CheckpointSaved;
import dev.anvil.events.training.DatasetRef;
import dev.anvil.events.training.Hyperparameters;
import dev.anvil.events.training.TrainingCancelled;
import dev.anvil.events.training.TrainingCompleted;
import dev.anvil.events.training.TrainingFailed;
import dev.anvil.events.training.TrainingMethod;
import dev.anvil.events.training.TrainingProgress;
import dev.anvil.events.training.TrainingRequested;
import dev.anvil.events.training.TrainingStarted;

import java.time.Instant;
import java.util.List;
import java.util.Map;

/** One realistic instance of every message type; docs/events.md shows the same examples. */
final class Samples {
    private Samples() {
    }

    static List<EventData> all() {
        DatasetRef dataset = new DatasetRef("support-chat", "9f86d081884c7d65");
        return List.of(
                new DatasetVersionCreated("support-chat", "9f86d081884c7d65", null,
                        new DatasetVersionCreated.RecordCounts(1200, 1100, 990, 110),
                        Map.of("duplicate", 60L, "malformed", 2L), 14, 3, "datasets/support-chat/9f86d081884c7d65"),
                new TrainingRequested("job-42", "aidreams260K", dataset, TrainingMethod.LORA,
                        new Hyperparameters(1e-3, "linear", 5, 2, null, 8, 2, 128, true, "assistant", 16, 32.0, 0.0,
                                List.of("q_proj", "v_proj"), 0.01, 1.0, 7L, 20, 2, 0.001, 50, 3, "bfloat16"),
                        null, "support-bot"),
                new TrainingStarted("job-42", 0, 400),
                new TrainingProgress("job-42", 120, 400, 0.6, 1.42, 1.51, 1.8e-4, 9100.5, 31.2),
                new CheckpointSaved("job-42", 100, "runs/job-42/checkpoints/step-100"),
                new TrainingCompleted("job-42", "aidreams260K", dataset, TrainingMethod.QLORA, "runs/job-42/adapter",
                        null, 350, Map.of("validationLoss", 0.91, "trainLoss", 0.88), "support-bot"),
                new TrainingFailed("job-43", "dataset support-chat version 0000 does not exist"),
                new TrainingCancelled("job-44", 17),
                new EvaluationCompleted("eval-job-42", "job-42", "aidreams260K", "runs/job-42/adapter",
                        Map.of("perplexity", 6.1), Map.of("perplexity", 20.7), Verdict.PASS,
                        List.of("perplexity 6.1 <= base 20.7"), "evaluations/eval-job-42/report.html",
                        "support-bot"),
                new ModelVersionRegistered("support-bot", "job-42", "aidreams260K", "runs/job-42/adapter"),
                new TrafficSplitChanged("support-bot", Map.of("job-41", 0.9, "job-42", 0.1), "canary"),
                new ModelVersionPromoted("support-bot", "job-42", "job-41"),
                new ModelVersionRolledBack("support-bot", "job-42", "job-41", "error rate 7% > 2%"),
                new DriftDetected("job-42", "prompt_length", "psi", 0.31, 0.2,
                        new DriftDetected.Window(Instant.parse("2026-11-28T10:00:00Z"),
                                Instant.parse("2026-11-28T11:00:00Z"), 5000)));
    }
}
