package dev.anvil.llm.serve;

import dev.anvil.llm.generate.Generation;
import dev.anvil.llm.generate.GenerationRequest;
import dev.anvil.llm.generate.TextGenerator;
import dev.anvil.llm.generate.TokenListener;
import dev.anvil.llm.generate.TokenLogprob;
import dev.anvil.llm.model.LlamaModel;
import dev.anvil.llm.model.LoadOptions;
import dev.anvil.llm.text.ChatMessage;
import dev.anvil.llm.text.Tokenizer;

import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.ArrayBlockingQueue;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicLong;
import java.util.logging.Level;
import java.util.logging.Logger;

/**
 * Serves one model on one decode thread by static batching: when the thread is free it takes every waiting request
 * that fits ({@link Options#maxBatchRows} rows, a request being {@code n} rows) and decodes them together in one
 * {@link TextGenerator#generate} call, rows with different adapters side by side. Requests arriving meanwhile wait
 * for the next batch; the queue is bounded and refuses at once when full.
 *
 * <p>Clients whose requests ended together send their next ones a few milliseconds apart; a batch started with the
 * first of them would leave the others for a second batch, and the two cohorts would alternate from then on,
 * halving throughput. So the thread expects the rows of the batch just ended back, plus the requests of other
 * clients (left waiting, or come before any row of that batch ended), and gathers for at most
 * {@link Options#batchWait} until as many have come. A lone client never waits.
 */
public final class BatchingEngine implements ServingEngine {
    private static final Logger LOG = Logger.getLogger(BatchingEngine.class.getName());

    /**
     * @param queueCapacity the most requests waiting; one more is refused with {@link EngineOverloadedException}
     * @param maxBatchRows the most rows decoded together (a request takes {@code n} rows)
     * @param maxAdapters the most adapters kept attached; the least recently used unused one goes first
     * @param batchWait the longest a batch waits to gather as many rows as the previous one held
     */
    public record Options(int queueCapacity, int maxBatchRows, int maxAdapters, Duration batchWait) {
        public Options {
            if (batchWait == null || batchWait.isNegative()) throw new IllegalArgumentException("batchWait must be >= 0");
            if (queueCapacity < 1) throw new IllegalArgumentException("queueCapacity must be >= 1");
            if (maxBatchRows < 1 || maxBatchRows > TextGenerator.MAX_BATCH) {
                throw new IllegalArgumentException("maxBatchRows must be in [1, " + TextGenerator.MAX_BATCH + "]");
            }
            if (maxAdapters < 1) throw new IllegalArgumentException("maxAdapters must be >= 1");
        }

        public static Options defaults() {
            return new Options(64, 32, 8, Duration.ofMillis(10));
        }
    }

    /** A queued or running request; {@code cancelled} is set by any thread, read by the decode thread. */
    private static final class Pending {
        final ServeRequest request;
        final DeltaSink sink;
        volatile boolean cancelled;
        int running;

        Pending(ServeRequest request, DeltaSink sink) {
            this.request = request;
            this.sink = sink;
        }
    }

    private final String name;
    private final LlamaModel model;
    private final Tokenizer tokenizer;
    private final TextGenerator generator;
    private final Options options;
    private final AdapterCache adapters;
    private final BlockingQueue<Pending> queue;
    private final ConcurrentHashMap<String, Pending> live = new ConcurrentHashMap<>();
    private final Thread decodeThread;
    private final AtomicLong generatedTokens = new AtomicLong();
    private final AtomicLong cancelledRequests = new AtomicLong();
    private final AtomicLong batches = new AtomicLong();
    /** Requests accepted since start; read by the decode thread to tell other clients from returning ones. */
    private final AtomicLong submissions = new AtomicLong();
    /** Decode thread only: {@link #submissions} when the running batch's first row ended, -1 before. */
    private long submittedAtFirstFinish = -1;
    private volatile boolean closed;

    public BatchingEngine(String name, LlamaModel model, Tokenizer tokenizer, Options options) {
        this.name = name;
        this.model = model;
        this.tokenizer = tokenizer;
        this.generator = new TextGenerator(model, tokenizer);
        this.options = options;
        this.adapters = new AdapterCache(model, options.maxAdapters());
        this.queue = new ArrayBlockingQueue<>(options.queueCapacity());
        this.decodeThread = new Thread(this::decodeLoop, "anvil-decode-" + name);
        decodeThread.setDaemon(true);
        decodeThread.start();
    }

    /** Loads a Hugging Face model directory (weights and tokenizer) and starts serving it. */
    public static BatchingEngine load(String name, Path modelDir, LoadOptions load, Options options) {
        return new BatchingEngine(name, LlamaModel.load(modelDir, load), Tokenizer.load(modelDir), options);
    }

    @Override
    public String name() {
        return name;
    }

    @Override
    public int contextLength() {
        return model.config().maxPositions();
    }

    @Override
    public int[] encode(String prompt) {
        return generator.encode(prompt);
    }

    @Override
    public int[] encodeChat(List<ChatMessage> messages) {
        return generator.encodeChat(messages);
    }

    @Override
    public int[] encodeChat(List<? extends Map<String, ?>> messages, List<? extends Map<String, ?>> tools) {
        return generator.encodeChat(messages, tools);
    }

    @Override
    public boolean rendersTools() {
        return generator.rendersTools();
    }

    @Override
    public void submit(ServeRequest request, DeltaSink sink) {
        if (closed) throw new IllegalStateException("model '" + name + "' is shutting down");
        if (request.n() > options.maxBatchRows()) {
            throw new IllegalArgumentException("n is " + request.n() + ", the most this model serves at once is "
                    + options.maxBatchRows());
        }
        long needed = (long) request.promptIds().length + request.params().maxTokens();
        if (needed > contextLength()) {
            throw new IllegalArgumentException("the prompt (" + request.promptIds().length + " tokens) and max_tokens ("
                    + request.params().maxTokens() + ") exceed the model's context length (" + contextLength() + ")");
        }
        Pending pending = new Pending(request, sink);
        if (live.putIfAbsent(request.id(), pending) != null) {
            throw new IllegalArgumentException("request id '" + request.id() + "' is already live");
        }
        // Counted before it is queued: the decode thread, once it sees the request, must see it counted.
        submissions.incrementAndGet();
        if (!queue.offer(pending)) {
            submissions.decrementAndGet();
            live.remove(request.id());
            throw new EngineOverloadedException(name, options.queueCapacity());
        }
    }

    @Override
    public void cancel(String requestId) {
        Pending pending = live.remove(requestId);
        if (pending == null) return;
        cancelledRequests.incrementAndGet();
        pending.cancelled = true;
        queue.remove(pending);
    }

    @Override
    public int waiting() {
        return queue.size();
    }

    @Override
    public long generatedTokens() {
        return generatedTokens.get();
    }

    @Override
    public long cancelledRequests() {
        return cancelledRequests.get();
    }

    @Override
    public long batches() {
        return batches.get();
    }

    @Override
    public void close() {
        closed = true;
        decodeThread.interrupt();
        try {
            decodeThread.join(TimeUnit.SECONDS.toMillis(30));
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
        List<Pending> left = new ArrayList<>();
        queue.drainTo(left);
        IllegalStateException shutdown = new IllegalStateException("model '" + name + "' shut down");
        for (Pending p : left) fail(p, shutdown);
    }

    private void decodeLoop() {
        Pending carried = null;
        int expected = 0;
        while (!closed) {
            try {
                Pending first = carried != null ? carried : queue.take();
                carried = null;
                List<Pending> batch = new ArrayList<>();
                batch.add(first);
                int rows = first.request.n();
                int gatherTarget = Math.min(expected, options.maxBatchRows());
                long gatherUntil = System.nanoTime() + options.batchWait().toNanos();
                while (rows < options.maxBatchRows()) {
                    Pending next = queue.poll();
                    if (next == null && rows < gatherTarget) {
                        long left = gatherUntil - System.nanoTime();
                        if (left > 0) next = queue.poll(left, TimeUnit.NANOSECONDS);
                    }
                    if (next == null) break;
                    if (rows + next.request.n() > options.maxBatchRows()) {
                        carried = next; // the next batch starts with it, keeping arrival order
                        break;
                    }
                    batch.add(next);
                    rows += next.request.n();
                }
                batches.incrementAndGet();
                // Who the next batch can expect: this batch's clients back, those left waiting, and those that
                // come while it runs before any of its rows ends (later ones may be its own clients returning).
                int leftWaiting = queue.size() + (carried != null ? 1 : 0);
                long submittedAtStart = submissions.get();
                submittedAtFirstFinish = -1;
                run(batch);
                long before = submittedAtFirstFinish < 0 ? submissions.get() : submittedAtFirstFinish;
                expected = rows + leftWaiting + (int) Math.min(options.maxBatchRows(), before - submittedAtStart);
            } catch (InterruptedException e) {
                if (closed) return;
            }
        }
    }

    /** Decodes one batch: attaches the adapters it needs, then one generate call; failures go to the sinks. */
    private void run(List<Pending> batch) {
        batch.removeIf(p -> p.cancelled);
        Set<String> needed = new HashSet<>();
        for (Pending p : batch) if (p.request.adapter() != null) needed.add(p.request.adapter().name());
        List<Pending> ready = new ArrayList<>(batch.size());
        for (Pending p : batch) {
            try {
                if (p.request.adapter() != null) adapters.attach(p.request.adapter(), needed);
                ready.add(p);
            } catch (RuntimeException e) {
                fail(p, e);
            }
        }
        if (ready.isEmpty()) return;
        List<GenerationRequest> rows = new ArrayList<>();
        List<Pending> owners = new ArrayList<>();
        List<Integer> choices = new ArrayList<>();
        for (Pending p : ready) {
            String adapter = p.request.adapter() == null ? null : p.request.adapter().name();
            for (int choice = 0; choice < p.request.n(); choice++) {
                rows.add(new GenerationRequest(p.request.promptIds(), p.request.paramsOfChoice(choice), adapter));
                owners.add(p);
                choices.add(choice);
            }
            p.running = p.request.n();
        }
        // The logprobs of each row's tokens whose text has not gone out yet.
        List<List<TokenLogprob>> unsent = new ArrayList<>();
        for (int i = 0; i < rows.size(); i++) unsent.add(new ArrayList<>());
        try {
            generator.generate(rows, new TokenListener() {
                @Override
                public void onToken(int row, int tokenId, TokenLogprob logprob) {
                    generatedTokens.incrementAndGet();
                    if (logprob != null) unsent.get(row).add(logprob);
                }

                @Override
                public void onText(int row, String delta) {
                    deliver(owners.get(row), new Delta(choices.get(row), delta, drain(unsent.get(row)), null));
                }

                @Override
                public void onFinish(int row, Generation generation) {
                    if (submittedAtFirstFinish < 0) submittedAtFirstFinish = submissions.get();
                    Pending p = owners.get(row);
                    deliver(p, new Delta(choices.get(row), "", drain(unsent.get(row)), generation));
                    if (--p.running == 0) live.remove(p.request.id(), p);
                }
            }, row -> owners.get(row).cancelled); // a cancelled request's rows leave the batch at their next token
        } catch (RuntimeException | Error e) {
            LOG.log(Level.SEVERE, "model '" + name + "': a batch of " + rows.size() + " rows failed", e);
            for (Pending p : ready) if (p.running > 0) fail(p, e);
        }
    }

    private static List<TokenLogprob> drain(List<TokenLogprob> pending) {
        if (pending.isEmpty()) return List.of();
        List<TokenLogprob> out = List.copyOf(pending);
        pending.clear();
        return out;
    }

    private void deliver(Pending p, Delta delta) {
        if (p.cancelled) return;
        try {
            p.sink.onDelta(delta);
        } catch (RuntimeException e) {
            LOG.log(Level.FINE, "request " + p.request.id() + ": its sink failed; cancelled", e);
            cancel(p.request.id());
        }
    }

    private void fail(Pending p, Throwable error) {
        live.remove(p.request.id(), p);
        if (p.cancelled) return;
        try {
            p.sink.onError(error);
        } catch (RuntimeException e) {
            LOG.log(Level.FINE, "request " + p.request.id() + ": its sink failed on an error", e);
        }
    }
}
