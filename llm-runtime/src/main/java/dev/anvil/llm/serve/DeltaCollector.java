package dev.anvil.llm.serve;

import dev.anvil.llm.generate.Generation;

import java.util.Arrays;
import java.util.List;
import java.util.concurrent.CompletableFuture;

/**
 * A sink for callers that want whole results (a non-streaming API, tests): completes with one {@link Generation}
 * per choice, in choice order, once every choice has finished.
 */
public final class DeltaCollector implements DeltaSink {
    private final Generation[] choices;
    private final CompletableFuture<List<Generation>> result = new CompletableFuture<>();
    private int finished;

    public DeltaCollector(int n) {
        this.choices = new Generation[n];
    }

    public CompletableFuture<List<Generation>> result() {
        return result;
    }

    @Override
    public void onDelta(Delta delta) {
        if (!delta.isLast()) return;
        choices[delta.choice()] = delta.finished();
        if (++finished == choices.length) result.complete(Arrays.asList(choices.clone()));
    }

    @Override
    public void onError(Throwable error) {
        result.completeExceptionally(error);
    }
}
