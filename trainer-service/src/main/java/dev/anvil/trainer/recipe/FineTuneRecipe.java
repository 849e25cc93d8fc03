package dev.anvil.trainer.recipe;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.EnumSet;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.function.BooleanSupplier;

import dev.anvil.events.datadir.RunFiles;
import dev.anvil.events.training.Hyperparameters;
import dev.anvil.events.training.TrainingMethod;
import dev.anvil.llm.data.EncodedDataset;
import dev.anvil.llm.data.ExampleEncoder;
import dev.anvil.llm.data.LossOn;
import dev.anvil.llm.data.TokenizedExample;
import dev.anvil.llm.lora.LoraAdapter;
import dev.anvil.llm.lora.LoraConfig;
import dev.anvil.llm.model.LlamaModel;
import dev.anvil.llm.model.LoadOptions;
import dev.anvil.llm.model.ProjectionKind;
import dev.anvil.llm.quant.QuantizedBase;
import dev.anvil.llm.text.ChatTemplate;
import dev.anvil.llm.text.Tokenizer;
import dev.anvil.llm.torch.DType;
import dev.anvil.llm.torch.NativeScope;
import dev.anvil.llm.train.AdamWOptimizer;
import dev.anvil.llm.train.CausalLmLoss;
import dev.anvil.llm.train.TrainBatch;
import dev.anvil.trainer.checkpoint.CheckpointStore;
import dev.anvil.trainer.checkpoint.TrainingState;
import dev.anvil.trainer.data.BatchPlan;
import dev.anvil.trainer.data.DatasetReader;
import dev.anvil.trainer.data.Packer;
import dev.anvil.trainer.export.ModelCard;
import org.bytedeco.pytorch.NoGradGuard;
import org.bytedeco.pytorch.Scalar;
import org.bytedeco.pytorch.Tensor;
import org.bytedeco.pytorch.global.torch;

/**
 * The fine-tuning recipe as plain steps, torchtune style: {@link #setUp} (base model, method, adapter, optimizer,
 * data; from the latest checkpoint when there is one), {@link #train} (AdamW with a warm-up schedule, gradient
 * accumulation, clipping, validation every {@code evalInterval} steps, early stopping, checkpoints), {@link
 * #validate} and {@link #export}. One instance runs one job on the calling thread; the service owns threads,
 * events and records. Requests are checked first by {@link Preflight} (the service does it before queueing): the
 * recipe assumes a method the model can do and a memory estimate that fits.
 *
 * <p>Files, under {@code runs/<jobId>/}: {@code checkpoints/step-<n>/} (adapter or weights, {@code optimizer.pt},
 * {@code state.json}), {@code best/} (the weights of the best validation step), {@code metrics.jsonl}, and after
 * export {@code adapter/} (PEFT layout) or, for full fine-tuning, {@code model/} (Hugging Face layout), each with a
 * {@code README.md} model card.
 *
 * <p>Deterministic: shuffling depends on {@code (seed, epoch)}, LoRA initialisation on the seed, dropout on
 * {@code (seed, step, micro-batch)}; a run resumed from a checkpoint therefore ends with the same weights as an
 * uninterrupted one (float32 on CPU, same thread count).
 */
public final class FineTuneRecipe {

    private final RecipeSpec spec;
    private final Hyperparameters hp;
    private final CheckpointStore checkpoints;
    private final MetricsLog metrics;

    private Tokenizer tokenizer;
    private LlamaModel model;
    private TrainableWeights weights;
    private AdamWOptimizer optimizer;
    private BatchPlan plan;
    private List<TokenizedExample> validationExamples;
    private long padId;
    private LrSchedule schedule;
    private EarlyStopping earlyStopping;
    private TrainingState position;
    private long totalSteps;
    private long lastCheckpointStep;
    private EncodedDataset trainData;

    public FineTuneRecipe(RecipeSpec spec) {
        this.spec = spec;
        this.hp = spec.hyperparameters();
        this.checkpoints = new CheckpointStore(spec.run().checkpoints(), hp.checkpointsToKeep());
        this.metrics = new MetricsLog(spec.metricsFile());
    }

    // ------------------------------------------------------------------ set up

    /**
     * Loads the base model, prepares it for the method (qlora: NF4 projections + LoRA; lora: LoRA; full: every
     * weight trainable), reads and encodes the data, and restores the latest checkpoint of this run if any.
     *
     * @return whether a checkpoint was resumed
     */
    public boolean setUp() {
        Optional<Path> resume = checkpoints.latest();
        tokenizer = Tokenizer.load(spec.baseModel());
        LoadOptions load = LoadOptions.defaults().withDtype(DType.parse(hp.computeDtype())).withDevice(spec.device());
        if (spec.method() == TrainingMethod.FULL) {
            Path source = resume.map(c -> c.resolve(RunFiles.MODEL)).orElse(spec.baseModel());
            model = LlamaModel.load(source, load.withTrainable(true));
            weights = new TrainableWeights.Full(model);
        } else {
            model = LlamaModel.load(spec.baseModel(), load);
            Set<ProjectionKind> targets = targets(hp.targetModules());
            if (spec.method() == TrainingMethod.QLORA) QuantizedBase.quantize(model, targets);
            LoraAdapter adapter;
            if (resume.isPresent()) {
                adapter = LoraAdapter.load(resume.get().resolve(RunFiles.ADAPTER), spec.jobId());
                adapter.parameters().values().forEach(p -> p.requires_grad_(true));
            } else {
                adapter = LoraAdapter.create(spec.jobId(), model.config(),
                        LoraConfig.of(hp.loraRank(), hp.loraAlpha(), hp.loraDropout(), targets), hp.seed());
            }
            adapter = onDevice(adapter);
            adapter.attachTo(model);
            weights = new TrainableWeights.Adapter(adapter);
        }
        optimizer = new AdamWOptimizer(weights.parameters(), new AdamWOptimizer.Settings(0.9, 0.999, 1e-8,
                hp.weightDecay(), hp.maxGradNorm()));
        setUpData();
        int accumulation = positive(hp.gradientAccumulation(), "gradientAccumulation");
        positive(hp.evalInterval(), "evalInterval");
        positive(hp.checkpointInterval(), "checkpointInterval");
        totalSteps = hp.maxSteps() != null ? positive(hp.maxSteps(), "maxSteps")
                : Math.max(1, ((long) positive(hp.epochs(), "epochs") * plan.batchesPerEpoch() + accumulation - 1)
                        / accumulation);
        schedule = new LrSchedule(hp.scheduler(), hp.learningRate(), hp.warmupSteps(), totalSteps);
        earlyStopping = new EarlyStopping(hp.earlyStoppingPatience(), hp.earlyStoppingMinDelta());
        if (resume.isEmpty()) {
            position = TrainingState.start(hp.seed(), validationExamples.isEmpty() ? Double.NaN : validate());
            return false;
        }
        position = checkpoints.state(resume.get());
        lastCheckpointStep = position.step();
        if (position.seed() != hp.seed()) {
            throw new IllegalStateException(resume.get() + " was trained with seed " + position.seed()
                    + ", this run asks for " + hp.seed());
        }
        optimizer.load(resume.get().resolve("optimizer.pt"));
        earlyStopping.restore(position.bestValidationLoss(), position.bestStep(), position.badEvaluations());
        metrics.truncateAfter(position.step());
        return true;
    }

    private void setUpData() {
        // Preflight refuses an explicit maxSeqLength beyond the context; the default (512) is capped here, and the
        // cap also guards callers that skip Preflight.
        int maxSeq = Math.min(positive(hp.maxSeqLength(), "maxSeqLength"), model.config().maxPositions());
        ExampleEncoder encoder = new ExampleEncoder(tokenizer, ChatTemplate.forTokenizer(tokenizer),
                LossOn.fromName(hp.lossOn()), maxSeq);
        EncodedDataset train = EncodedDataset.encode(DatasetReader.train(spec.datasetFiles()), encoder);
        EncodedDataset validation = EncodedDataset.encode(DatasetReader.validation(spec.datasetFiles()), encoder);
        List<TokenizedExample> rows = hp.packing() ? Packer.pack(train.examples(), maxSeq) : train.examples();
        padId = tokenizer.padId().orElse(tokenizer.eosId().orElse(0));
        plan = new BatchPlan(rows, positive(hp.microBatchSize(), "microBatchSize"), hp.seed(), padId);
        // Kept as tokens, batched inside validate()'s scope: tensors made here would die with a caller's scope.
        validationExamples = validation.examples();
        trainData = train;
    }

    /** What encoding did to the training split (examples kept, truncated, dropped). */
    public EncodedDataset trainData() {
        requireSetUp();
        return trainData;
    }

    /**
     * The adapter where the model is. It is created (or read) on the CPU, so its initial values do not depend on
     * the device; a copy starts without autograd history, hence trainable again after the move.
     */
    private LoraAdapter onDevice(LoraAdapter adapter) {
        if (!spec.device().isCuda()) return adapter;
        LoraAdapter moved = adapter.to(spec.device());
        moved.parameters().values().forEach(p -> p.requires_grad_(true));
        return moved;
    }

    private static Set<ProjectionKind> targets(List<String> names) {
        Set<ProjectionKind> out = EnumSet.noneOf(ProjectionKind.class);
        for (String n : names) out.add(ProjectionKind.fromHfName(n));
        return out;
    }

    private static int positive(Integer value, String name) {
        if (value == null || value < 1) throw new IllegalArgumentException(name + " must be >= 1, got " + value);
        return value;
    }

    // ------------------------------------------------------------------ train

    /**
     * Trains until {@code totalSteps}, early stopping or {@code cancelled} (checked before every step; a cancelled
     * or early-stopped run writes a checkpoint of where it stopped and can be resumed).
     */
    public RunResult train(ProgressListener listener, BooleanSupplier cancelled) {
        requireSetUp();
        int accumulation = hp.gradientAccumulation();
        long started = System.nanoTime();
        long firstStep = position.step();
        double lastLoss = Double.NaN;
        RunResult.Status status = RunResult.Status.COMPLETED;
        while (position.step() < totalSteps) {
            if (cancelled.getAsBoolean()) {
                status = RunResult.Status.CANCELLED;
                // Keep where it stopped, so that a resumed run loses nothing.
                if (position.step() > lastCheckpointStep) saveCheckpoint(listener);
                break;
            }
            long step = position.step();
            long stepStart = System.nanoTime();
            double lr = schedule.at(step);
            weights.setTraining(true);
            double loss = 0;
            long tokens = 0;
            int epoch = position.epoch();
            int batchIndex = position.batchIndex();
            for (int micro = 0; micro < accumulation; micro++) {
                try (NativeScope scope = new NativeScope()) {
                    TrainBatch batch = plan.batch(epoch, batchIndex);
                    torch.manual_seed(hp.seed() * 1_000_003L + step * accumulation + micro);
                    // Logits and the forward's other temporaries go before backward; the graph keeps what it needs.
                    Tensor value = NativeScope.handOver(() -> CausalLmLoss.of(
                            model.forward(batch.inputIds(), batch.attentionMask()), batch.labels()));
                    double v = value.item_double();
                    if (!Double.isFinite(v)) throw new ArithmeticException("loss is " + v + " at step " + step);
                    value.div(new Scalar((double) accumulation)).backward();
                    loss += v / accumulation;
                    tokens += batch.attentionMask() == null ? batch.inputIds().numel()
                            : batch.attentionMask().sum().item_long();
                }
                if (++batchIndex == plan.batchesPerEpoch()) {
                    batchIndex = 0;
                    epoch++;
                }
            }
            double gradNorm = optimizer.step(lr);
            lastLoss = loss;
            long done = step + 1;
            double validation = Double.NaN;
            boolean improved = false;
            if (!validationExamples.isEmpty() && (done % hp.evalInterval() == 0 || done == totalSteps)) {
                validation = validate();
                improved = earlyStopping.record(done, validation);
                if (improved) CheckpointStore.writeAtomically(spec.bestDir(), weights::save);
            }
            position = new TrainingState(done, epoch, batchIndex, hp.seed(), position.initialValidationLoss(),
                    earlyStopping.best(), earlyStopping.bestStep(), earlyStopping.badEvaluations());
            double seconds = (System.nanoTime() - stepStart) / 1e9;
            double meanStep = (System.nanoTime() - started) / 1e9 / (done - firstStep);
            Progress progress = new Progress(done, totalSteps, epoch, loss, validation, lr, tokens, seconds,
                    tokens / Math.max(seconds, 1e-9), meanStep * (totalSteps - done));
            // The step's line before its checkpoint: a process killed in between would otherwise resume after
            // this step and never log it (a resume drops the lines after its checkpoint, so none is doubled).
            metrics.append(progress, gradNorm);
            if (done % hp.checkpointInterval() == 0 || done == totalSteps) saveCheckpoint(listener);
            listener.onStep(progress);
            if (earlyStopping.shouldStop()) {
                status = RunResult.Status.EARLY_STOPPED;
                if (position.step() > lastCheckpointStep) saveCheckpoint(listener);
                break;
            }
        }
        return new RunResult(status, position.step(), position.initialValidationLoss(), earlyStopping.best(),
                earlyStopping.bestStep(), lastLoss);
    }

    private void saveCheckpoint(ProgressListener listener) {
        lastCheckpointStep = position.step();
        Path dir = checkpoints.save(position, d -> {
            weights.save(d.resolve(spec.method() == TrainingMethod.FULL ? RunFiles.MODEL : RunFiles.ADAPTER));
            optimizer.save(d.resolve("optimizer.pt"));
        });
        listener.onCheckpoint(position.step(), dir);
    }

    /** The mean loss per labelled token over the validation split, dropout off. */
    public double validate() {
        requireSetUp();
        if (validationExamples.isEmpty()) throw new IllegalStateException("the dataset has no validation split");
        weights.setTraining(false);
        double sum = 0;
        long count = 0;
        try (NativeScope scope = new NativeScope(); NoGradGuard noGrad = new NoGradGuard()) {
            for (TrainBatch b : BatchPlan.inOrder(validationExamples, hp.microBatchSize(), padId)) {
                long n = b.targetTokens();
                sum += CausalLmLoss.of(model.forward(b.inputIds(), b.attentionMask()), b.labels()).item_double() * n;
                count += n;
            }
        }
        return sum / count;
    }

    // ------------------------------------------------------------------ export

    /**
     * Writes the result for serving: the best validation step's weights (the last step's without validation) to
     * {@code adapter/} in PEFT layout, or {@code model/} in Hugging Face layout for full fine-tuning, with a model
     * card; atomically.
     *
     * @return the folder written
     */
    public Path export(RunResult result) {
        requireSetUp();
        boolean full = spec.method() == TrainingMethod.FULL;
        Path target = full ? spec.run().model() : spec.run().adapter();
        Path best = spec.bestDir();
        CheckpointStore.writeAtomically(target, dir -> {
            if (Files.isDirectory(best)) copyFiles(best, dir);
            else weights.save(dir);
            ModelCard.write(dir, spec, result);
        });
        return target;
    }

    /**
     * Writes the exported {@code adapter} merged into the base weights as a Hugging Face model in {@code merged/}, for
     * runtimes that cannot load adapters; atomically. The base is loaded again unquantised (float32): merging into
     * the NF4 copy QLoRA trained against would add its quantisation error to every weight.
     *
     * @return the folder written
     */
    public Path exportMerged(Path adapter) {
        Path target = spec.run().merged();
        CheckpointStore.writeAtomically(target, dir -> {
            try (NativeScope scope = new NativeScope()) {
                LlamaModel base = LlamaModel.load(spec.baseModel(), LoadOptions.defaults());
                LoraAdapter.load(adapter, spec.jobId() + "-merged").mergeInto(base);
                base.save(dir);
            }
        });
        return target;
    }

    private static void copyFiles(Path from, Path to) {
        try (var files = Files.list(from)) {
            for (Path f : files.toList()) Files.copy(f, to.resolve(f.getFileName()));
        } catch (IOException e) {
            throw new UncheckedIOException("cannot copy " + from + ": " + e.getMessage(), e);
        }
    }

    // ------------------------------------------------------------------ access

    public LlamaModel model() {
        requireSetUp();
        return model;
    }

    public Tokenizer tokenizer() {
        requireSetUp();
        return tokenizer;
    }

    /** The trainable tensors by name (adapter tensors in PEFT naming, or the model's for full fine-tuning). */
    public Map<String, Tensor> trainableParameters() {
        requireSetUp();
        return weights.parameters();
    }

    public long totalSteps() {
        requireSetUp();
        return totalSteps;
    }

    public TrainingState position() {
        requireSetUp();
        return position;
    }

    private void requireSetUp() {
        if (model == null) throw new IllegalStateException("call setUp() first");
    }
}
