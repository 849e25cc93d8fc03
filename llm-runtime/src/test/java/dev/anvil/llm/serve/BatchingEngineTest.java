package dev.anvil.llm.serve;

import dev.anvil.llm.generate.Generation;
import dev.anvil.llm.generate.GenerationRequest;
import dev.anvil.llm.generate.SamplingParams;
import dev.anvil.llm.generate.TextGenerator;
import dev.anvil.llm.generate.TokenLogprob;
import dev.anvil.llm.lora.LoraAdapter;
import dev.anvil.llm.lora.LoraConfig;
import dev.anvil.llm.model.LlamaModel;
import dev.anvil.llm.model.LoadOptions;
import dev.anvil.llm.model.ProjectionKind;
import dev.anvil.llm.testing.Golden;
import dev.anvil.llm.text.ChatMessage;
import dev.anvil.llm.text.Tokenizer;
import org.bytedeco.pytorch.NoGradGuard;
import org.bytedeco.pytorch.Scalar;
import org.bytedeco.pytorch.global.torch;
import dev.anvil.llm.torch.Tensors;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Set;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * The serving engine on the real aidreams260K with two adapters: what it serves equals {@link TextGenerator} called
 * directly (same tokens, same text), whatever shares the batch; a full queue refuses at once; cancelled requests get
 * nothing more; adapters are attached on demand and the least recently used one is detached.
 */
class BatchingEngineTest {
    static final Path MODEL = Golden.model("aidreams260K");
    static final Path DREAMS = Golden.golden("peft-lora-aidreams260K");

    @TempDir
    static Path tmp;
    static Path other;
    /** The reference: the same model with both adapters attached, generating directly. */
    static TextGenerator direct;
    static Tokenizer tokenizer;
    static LlamaModel served;
    static BatchingEngine engine;
    static final AtomicInteger ids = new AtomicInteger();

    @BeforeAll
    static void setUp() {
        tokenizer = Tokenizer.load(MODEL);
        LlamaModel reference = LlamaModel.load(MODEL, LoadOptions.defaults());
        LoraAdapter.load(DREAMS, "dreams").attachTo(reference);
        LoraAdapter random = LoraAdapter.create("other", reference.config(),
                LoraConfig.of(4, 8, 0.0, Set.of(ProjectionKind.Q, ProjectionKind.DOWN)), 7);
        try (NoGradGuard g = new NoGradGuard()) {
            // A fresh adapter equals the base (B = 0); give it a visible effect.
            random.parameters().forEach((name, t) -> {
                if (name.contains("lora_B")) t.copy_(torch.randn(Tensors.shape(t)).mul(new Scalar(0.5)));
            });
        }
        other = tmp.resolve("other");
        random.save(other);
        LoraAdapter.load(other, "other").attachTo(reference);
        direct = new TextGenerator(reference, tokenizer);
        served = LlamaModel.load(MODEL, LoadOptions.defaults());
        engine = new BatchingEngine("aidreams260K", served, tokenizer, new BatchingEngine.Options(4, 8, 2, Duration.ofMillis(10)));
    }

    @AfterAll
    static void tearDown() {
        engine.close();
    }

    static ServeRequest request(String prompt, SamplingParams params, int n, String adapter) {
        AdapterRef ref = adapter == null ? null : new AdapterRef(adapter, adapter.equals("dreams") ? DREAMS : other);
        return new ServeRequest("r" + ids.incrementAndGet(), engine.encode(prompt), params, n, ref);
    }

    static CompletableFuture<List<Generation>> submit(ServeRequest request) {
        DeltaCollector collector = new DeltaCollector(request.n());
        engine.submit(request, collector);
        return collector.result();
    }

    static Generation alone(ServeRequest request, int choice) {
        String adapter = request.adapter() == null ? null : request.adapter().name();
        return direct.generate(new GenerationRequest(request.promptIds(), request.paramsOfChoice(choice), adapter));
    }

    static SamplingParams sampled(long seed) {
        return SamplingParams.defaults().withTemperature(0.8).withTopP(0.95).withSeed(seed).withMaxTokens(24);
    }

    @Test
    void aMixedBatchServesWhatEachRequestGetsAlone() throws Exception {
        List<ServeRequest> requests = List.of(
                request("The stars", SamplingParams.greedy(20), 1, null),
                request("The stars", SamplingParams.greedy(20), 1, "dreams"),
                request("Once upon a time", sampled(11), 1, "other"),
                request("A dream of", sampled(5), 2, "dreams"));
        List<CompletableFuture<List<Generation>>> results = new ArrayList<>();
        for (ServeRequest r : requests) results.add(submit(r));
        for (int i = 0; i < requests.size(); i++) {
            List<Generation> got = results.get(i).get(60, TimeUnit.SECONDS);
            assertEquals(requests.get(i).n(), got.size());
            for (int choice = 0; choice < got.size(); choice++) {
                Generation expected = alone(requests.get(i), choice);
                assertArrayEquals(expected.tokenIds(), got.get(choice).tokenIds(), "request " + i + " choice " + choice);
                assertEquals(expected.text(), got.get(choice).text());
                assertEquals(expected.finishReason(), got.get(choice).finishReason());
                assertEquals(expected.usage(), got.get(choice).usage());
            }
        }
        // The adapter shows: the same prompt, greedy, differs with and without it.
        assertNotEquals(results.get(0).get().get(0).text(), results.get(1).get().get(0).text());
        // Seeded choices differ from each other (choice i runs with seed + i).
        List<Generation> two = results.get(3).get();
        assertNotEquals(two.get(0).text(), two.get(1).text());
    }

    @Test
    void deltasOfAChoiceConcatenateToItsText() throws Exception {
        ServeRequest request = request("The stars", sampled(3), 1, null);
        StringBuilder streamed = new StringBuilder();
        CompletableFuture<Generation> last = new CompletableFuture<>();
        engine.submit(request, new DeltaSink() {
            @Override
            public void onDelta(Delta delta) {
                streamed.append(delta.text());
                if (delta.isLast()) last.complete(delta.finished());
            }

            @Override
            public void onError(Throwable error) {
                last.completeExceptionally(error);
            }
        });
        Generation done = last.get(60, TimeUnit.SECONDS);
        assertEquals(done.text(), streamed.toString());
        assertTrue(done.text().length() > 0);
    }

    @Test
    void streamedLogprobsFollowTheirTokensAndEqualTheFinalOnes() throws Exception {
        ServeRequest request = request("The stars", sampled(9).withLogprobs(3), 1, "dreams");
        List<TokenLogprob> streamed = new ArrayList<>();
        CompletableFuture<Generation> last = new CompletableFuture<>();
        engine.submit(request, new DeltaSink() {
            @Override
            public void onDelta(Delta delta) {
                streamed.addAll(delta.logprobs());
                if (delta.isLast()) last.complete(delta.finished());
            }

            @Override
            public void onError(Throwable error) {
                last.completeExceptionally(error);
            }
        });
        Generation done = last.get(60, TimeUnit.SECONDS);
        assertEquals(done.tokenIds().length, streamed.size());
        for (int i = 0; i < streamed.size(); i++) {
            assertEquals(done.tokenIds()[i], streamed.get(i).tokenId());
            assertEquals(done.logprobs().get(i).logprob(), streamed.get(i).logprob(), 0.0);
            assertEquals(3, streamed.get(i).top().size());
        }
        assertEquals(alone(request, 0).logprobs().get(0).logprob(), streamed.get(0).logprob(), 1e-6);
    }

    @Test
    void chatPromptsAreRenderedByTheTemplate() {
        int[] chat = engine.encodeChat(List.of(ChatMessage.user("Hello")));
        assertArrayEquals(direct.encodeChat(List.of(ChatMessage.user("Hello"))), chat);
    }

    @Test
    void aFullQueueRefusesAtOnceAndCancelledRequestsGetNothing() throws Exception {
        // A sink that holds the decode thread keeps every later request waiting in the queue.
        CountDownLatch holding = new CountDownLatch(1);
        CountDownLatch release = new CountDownLatch(1);
        CompletableFuture<Void> blockerDone = new CompletableFuture<>();
        engine.submit(request("The stars", SamplingParams.greedy(4), 1, null), new DeltaSink() {
            @Override
            public void onDelta(Delta delta) {
                holding.countDown();
                try {
                    release.await(60, TimeUnit.SECONDS);
                } catch (InterruptedException e) {
                    Thread.currentThread().interrupt();
                }
                if (delta.isLast()) blockerDone.complete(null);
            }

            @Override
            public void onError(Throwable error) {
                blockerDone.completeExceptionally(error);
            }
        });
        assertTrue(holding.await(60, TimeUnit.SECONDS));
        List<ServeRequest> waiting = new ArrayList<>();
        List<CompletableFuture<List<Generation>>> results = new ArrayList<>();
        for (int i = 0; i < 4; i++) { // the capacity
            waiting.add(request("The stars", SamplingParams.greedy(6), 1, null));
            results.add(submit(waiting.get(i)));
        }
        long start = System.nanoTime();
        EngineOverloadedException full = assertThrows(EngineOverloadedException.class,
                () -> submit(request("The stars", SamplingParams.greedy(6), 1, null)));
        assertTrue(System.nanoTime() - start < TimeUnit.SECONDS.toNanos(1), "refused at once");
        assertEquals(4, full.capacity());
        assertEquals(4, engine.waiting());

        engine.cancel(waiting.get(1).id());
        assertEquals(3, engine.waiting());
        release.countDown();
        blockerDone.get(60, TimeUnit.SECONDS);
        for (int i : new int[]{0, 2, 3}) assertEquals(6, results.get(i).get(60, TimeUnit.SECONDS).get(0).tokenIds().length);
        assertTrue(!results.get(1).isDone(), "a cancelled request gets no result");
    }

    @Test
    void aRunningRequestCancelledGetsNothingMoreAndItsBatchGoesOn() throws Exception {
        ServeRequest doomed = request("Once upon a time", SamplingParams.greedy(100), 1, null);
        ServeRequest neighbour = request("The stars", SamplingParams.greedy(30), 1, null);
        List<Delta> after = new ArrayList<>();
        CountDownLatch cancelled = new CountDownLatch(1);
        long cancelledBefore = engine.cancelledRequests();
        engine.submit(doomed, new DeltaSink() {
            @Override
            public void onDelta(Delta delta) {
                if (cancelled.getCount() == 0) {
                    after.add(delta);
                    return;
                }
                engine.cancel(doomed.id()); // as a client gone after its first text would
                cancelled.countDown();
            }

            @Override
            public void onError(Throwable error) {
                after.add(new Delta(0, "error: " + error, List.of(), null));
            }
        });
        CompletableFuture<List<Generation>> other = submit(neighbour);
        assertTrue(cancelled.await(60, TimeUnit.SECONDS));
        assertEquals(cancelledBefore + 1, engine.cancelledRequests());
        assertArrayEquals(alone(neighbour, 0).tokenIds(), other.get(60, TimeUnit.SECONDS).get(0).tokenIds());
        // The engine is free again: a later request is served.
        assertEquals(3, submit(request("The stars", SamplingParams.greedy(3), 1, null)).get(60, TimeUnit.SECONDS)
                .get(0).tokenIds().length);
        assertEquals(List.of(), after, "no delta after cancel");
    }

    @Test
    void anAdapterThatCannotBeReadFailsOnlyItsRequest() throws Exception {
        ServeRequest broken = new ServeRequest("broken-" + ids.incrementAndGet(), engine.encode("The stars"),
                SamplingParams.greedy(4), 1, new AdapterRef("missing", tmp.resolve("no-such-adapter")));
        CompletableFuture<List<Generation>> failed = submit(broken);
        CompletableFuture<List<Generation>> fine = submit(request("The stars", SamplingParams.greedy(4), 1, null));
        ExecutionException e = assertThrows(ExecutionException.class, () -> failed.get(60, TimeUnit.SECONDS));
        assertInstanceOf(RuntimeException.class, e.getCause());
        assertEquals(4, fine.get(60, TimeUnit.SECONDS).get(0).tokenIds().length);
    }

    @Test
    void adaptersBeyondCapacityAreDetachedLeastRecentlyUsedFirst() throws Exception {
        LlamaModel model = LlamaModel.load(MODEL, LoadOptions.defaults());
        try (BatchingEngine one = new BatchingEngine("aidreams260K", model, tokenizer, new BatchingEngine.Options(4, 8, 1, Duration.ZERO))) {
            for (String adapter : new String[]{"dreams", "other", "dreams"}) {
                ServeRequest r = new ServeRequest("lru-" + ids.incrementAndGet(), one.encode("The stars"),
                        SamplingParams.greedy(12), 1, new AdapterRef(adapter, adapter.equals("dreams") ? DREAMS : other));
                DeltaCollector collector = new DeltaCollector(1);
                one.submit(r, collector);
                Generation got = collector.result().get(60, TimeUnit.SECONDS).get(0);
                assertArrayEquals(alone(r, 0).tokenIds(), got.tokenIds(), adapter + " after a switch");
                String evicted = adapter.equals("dreams") ? "other" : "dreams";
                assertTrue(LoraAdapter.isAttached(model, adapter) && !LoraAdapter.isAttached(model, evicted),
                        "only the adapter last used stays attached, capacity 1");
            }
        }
    }

    @Test
    void clientsComingBackAFewMillisecondsApartAreGatheredIntoOneBatch() throws Exception {
        try (BatchingEngine gathering = new BatchingEngine("aidreams260K", LlamaModel.load(MODEL, LoadOptions.defaults()),
                tokenizer, new BatchingEngine.Options(8, 8, 1, Duration.ofMillis(500)))) {
            submitTo(gathering, SamplingParams.greedy(8), 4).get(60, TimeUnit.SECONDS); // a batch of four rows
            long before = gathering.batches();
            // The four clients come back one by one, 20 ms apart: the engine expects them and waits for all.
            List<CompletableFuture<List<Generation>>> again = new ArrayList<>();
            for (int i = 0; i < 4; i++) {
                again.add(submitTo(gathering, SamplingParams.greedy(8), 1));
                Thread.sleep(20);
            }
            for (CompletableFuture<List<Generation>> f : again) f.get(60, TimeUnit.SECONDS);
            assertEquals(before + 1, gathering.batches(), "one batch for the four returning clients");
            // Three clients leave: the first lone request waits out the window once (four were expected back), after
            // that a lone client never waits, its previous batch having held one row.
            submitTo(gathering, SamplingParams.greedy(2), 1).get(60, TimeUnit.SECONDS);
            long start = System.nanoTime();
            submitTo(gathering, SamplingParams.greedy(2), 1).get(60, TimeUnit.SECONDS);
            submitTo(gathering, SamplingParams.greedy(2), 1).get(60, TimeUnit.SECONDS);
            assertTrue(System.nanoTime() - start < TimeUnit.MILLISECONDS.toNanos(500),
                    "two lone requests took " + (System.nanoTime() - start) / 1_000_000 + " ms");
        }
    }

    static CompletableFuture<List<Generation>> submitTo(BatchingEngine target, SamplingParams params, int n) {
        DeltaCollector collector = new DeltaCollector(n);
        target.submit(new ServeRequest("g-" + ids.incrementAndGet(), target.encode("The stars"), params, n, null),
                collector);
        return collector.result();
    }

    @Test
    void requestsThatCannotFitTheModelAreRefusedBeforeQueueing() {
        int context = engine.contextLength();
        assertEquals(128, context);
        IllegalArgumentException tooLong = assertThrows(IllegalArgumentException.class,
                () -> engine.submit(request("The stars", SamplingParams.greedy(context), 1, null), new DeltaCollector(1)));
        assertTrue(tooLong.getMessage().contains("context length (128)"), tooLong.getMessage());
        assertThrows(IllegalArgumentException.class,
                () -> engine.submit(request("The stars", SamplingParams.greedy(4), 9, null), new DeltaCollector(9)));
    }
}
