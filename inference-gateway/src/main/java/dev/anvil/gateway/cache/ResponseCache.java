package dev.anvil.gateway.cache;

import com.github.benmanes.caffeine.cache.Cache;
import com.github.benmanes.caffeine.cache.Caffeine;
import dev.anvil.gateway.GatewayConfig;
import dev.anvil.gateway.access.Credentials;
import dev.anvil.llm.generate.Generation;
import dev.anvil.llm.serve.Delta;
import dev.anvil.llm.serve.DeltaSink;
import dev.anvil.llm.serve.ServeRequest;
import io.micrometer.core.instrument.MeterRegistry;
import io.micrometer.core.instrument.binder.cache.CaffeineCacheMetrics;
import jakarta.enterprise.context.ApplicationScoped;

import java.util.Arrays;
import java.util.HexFormat;
import java.util.List;
import java.util.Optional;

/**
 * Answers of deterministic requests (temperature 0, or a seed), kept so that the same request again is answered
 * without the engine: same API key, same version (and its weights), same prompt tokens, same sampling parameters and
 * n. The key's id is part of the entry's key, so two keys never share an answer, even to the same prompt. Bounded by an
 * estimate of the bytes held ({@code anvil.gateway.cache.max-bytes}), each entry kept for {@code ttl}. What is kept is
 * the engine's output: redaction and filters apply to a cached answer as to a fresh one. Counted on /q/metrics as
 * Caffeine's {@code cache_gets_total{cache="anvil_gateway_responses",result="hit|miss"}}, {@code cache_size},
 * {@code cache_evictions_total}.
 */
@ApplicationScoped
public class ResponseCache {
    static final String NAME = "anvil_gateway_responses";

    private final boolean enabled;
    private final Cache<String, List<Generation>> answers;

    public ResponseCache(GatewayConfig config, MeterRegistry registry) {
        GatewayConfig.Cache settings = config.cache();
        this.enabled = settings.enabled() && settings.maxBytes() > 0;
        this.answers = Caffeine.newBuilder().maximumWeight(Math.max(0, settings.maxBytes()))
                .weigher((String key, List<Generation> choices) -> weight(key, choices))
                .expireAfterWrite(settings.ttl()).recordStats().build();
        CaffeineCacheMetrics.monitor(registry, answers, NAME);
    }

    /**
     * The cache key of {@code request} for the caller {@code scope} (its API key's id) on {@code version}, or empty when
     * the request is not deterministic (sampled without a seed) or the cache is off.
     */
    public Optional<String> keyOf(String scope, String version, ServeRequest request) {
        if (!enabled) return Optional.empty();
        boolean deterministic = request.params().temperature() == 0 || request.params().seed().isPresent();
        if (!deterministic) return Optional.empty();
        // The sampling parameters are a record: their text names every field and value. The adapter's directory is
        // in too, so a version id reused for other weights never answers from the old ones.
        String what = version + '\n' + request.adapter() + '\n' + request.params() + "\nn=" + request.n() + '\n'
                + Arrays.toString(request.promptIds());
        return Optional.of(scope + ':' + HexFormat.of().formatHex(Credentials.sha256(what)));
    }

    /**
     * Answers from the cache into {@code sink} as the engine would have, a whole choice per delta; false when there is
     * nothing kept under {@code key}.
     */
    public boolean replay(String key, DeltaSink sink) {
        List<Generation> choices = answers.getIfPresent(key);
        if (choices == null) return false;
        for (int i = 0; i < choices.size(); i++) {
            Generation g = choices.get(i);
            sink.onDelta(new Delta(i, g.text(), g.logprobs(), g));
        }
        return true;
    }

    /** {@code sink}, keeping the answer under {@code key} once all its {@code n} choices have finished. */
    public DeltaSink keeping(String key, int n, DeltaSink sink) {
        Generation[] finished = new Generation[n];
        return new DeltaSink() {
            private int count;

            @Override
            public void onDelta(Delta delta) {
                if (delta.isLast()) {
                    finished[delta.choice()] = delta.finished();
                    if (++count == n) answers.put(key, List.of(finished));
                }
                sink.onDelta(delta);
            }

            @Override
            public void onError(Throwable error) {
                sink.onError(error);
            }
        };
    }

    /** Roughly the bytes an entry holds: its key, text (UTF-16), token ids and log-probabilities. */
    private static int weight(String key, List<Generation> choices) {
        long bytes = 2L * key.length() + 64;
        for (Generation g : choices) {
            bytes += 2L * g.text().length() + 4L * g.tokenIds().length + 64;
            for (var p : g.logprobs()) bytes += 64 + 48L * p.top().size();
        }
        return (int) Math.min(Integer.MAX_VALUE, bytes);
    }
}
