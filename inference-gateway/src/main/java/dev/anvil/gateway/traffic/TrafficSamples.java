package dev.anvil.gateway.traffic;

import com.fasterxml.jackson.databind.ObjectMapper;
import dev.anvil.gateway.GatewayConfig;
import dev.anvil.gateway.live.Feedback;
import dev.anvil.gateway.version.ModelVersion;
import dev.anvil.service.http.RefusedException;
import dev.anvil.service.http.SafeText;
import io.quarkus.narayana.jta.QuarkusTransaction;
import jakarta.enterprise.context.ApplicationScoped;
import org.jboss.logging.Logger;

import java.io.IOException;
import java.io.OutputStream;
import java.io.UncheckedIOException;
import java.time.Instant;
import java.time.format.DateTimeParseException;
import java.util.ArrayList;
import java.util.EnumMap;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.TreeMap;

/**
 * Reads a version's kept traffic for retraining, decrypted, newest first, each sample with its latest rating, in
 * pages (a long answer is never read in one go). Rows written under another key, or altered, are counted and left
 * out, and the log says which key or what failed, never what they hold. Expired rows not yet purged are not read.
 */
@ApplicationScoped
public class TrafficSamples {
    private static final Logger LOG = Logger.getLogger(TrafficSamples.class);
    public static final int DEFAULT_LIMIT = 100;
    public static final int MAX_LIMIT = 1000;
    private static final int PAGE = 100;
    private static final ObjectMapper JSON = new ObjectMapper();

    private final TrafficKey key;
    private final GatewayConfig config;

    TrafficSamples(TrafficKey key, GatewayConfig config) {
        this.key = key;
        this.config = config;
    }

    /**
     * A request for a version's traffic, checked: the newest {@code limit} samples created from {@code since} and
     * before {@code before} (null: no bound), ratings used as {@code feedback} says; {@code cut} the rows it reads.
     */
    public record Query(String versionId, Instant since, Instant before, int limit, FeedbackMode feedback,
                        TrafficRange.Cut cut) {
        /** The {@code before} of the next, older page; null when this one reaches the oldest sample in range. */
        public Instant next() {
            return cut.next();
        }
    }

    /**
     * The query parameters read as text and checked here, so that a bad one is a 400 naming it. 503 while no key is
     * configured; 404 for a version that is neither registered nor a base model and has no kept traffic.
     */
    public Query query(String versionId, String limit, String since, String before, String feedback) {
        if (key.cipher().isEmpty()) {
            throw RefusedException.unavailable("traffic is not kept: set " + TrafficKey.PROPERTY + " (environment "
                    + TrafficKey.ENVIRONMENT + ")");
        }
        int rows = limit(limit);
        Instant from = Objects.requireNonNullElse(instant("since", since), Instant.EPOCH);
        Instant to = instant("before", before);
        FeedbackMode mode = FeedbackMode.parse(feedback);
        if (!known(versionId)) {
            throw RefusedException.notFound("version '" + SafeText.of(versionId) + "' is not registered, not a base "
                    + "model, and has no kept traffic");
        }
        TrafficRange.Cut cut = QuarkusTransaction.requiringNew().call(() ->
                new TrafficRange(versionId, from, to, Instant.now()).cut(rows));
        return new Query(versionId, from, to, rows, mode, cut);
    }

    public TrafficPage page(Query query) {
        return page(query, PAGE);
    }

    /** Read {@code pageSize} rows at a time (tests read small pages to cross page boundaries). */
    TrafficPage page(Query query, int pageSize) {
        List<TrafficPage.Sample> samples = new ArrayList<>();
        try {
            Counts counts = read(query, pageSize, (row, record, rating) -> samples.add(new TrafficPage.Sample(
                    row.responseId, row.model, row.createdAt, JSON.readTree(record), rating)));
            boolean applied = query.feedback() == FeedbackMode.APPLY;
            return new TrafficPage(query.versionId(), samples, counts.undecryptable(),
                    applied ? counts.corrected() : null, applied ? counts.leftOut() : null, query.next());
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    /** The records alone, one JSON document a line (JSON Lines, what a dataset upload takes), as they are read. */
    public void writeRecords(Query query, OutputStream out) throws IOException {
        read(query, PAGE, (row, record, rating) -> {
            out.write(record);
            out.write('\n');
        });
    }

    private interface Opened {
        void accept(TrafficSample row, byte[] record, TrafficPage.Rating rating) throws IOException;
    }

    private record Counts(int undecryptable, int corrected, int leftOut) {
    }

    /**
     * Hands each decryptable sample of the query's cut to {@code opened}, with its rating, its record as the
     * query's feedback mode makes it (and not at all when that leaves it out); what was left out or corrected.
     */
    private Counts read(Query query, int pageSize, Opened opened) throws IOException {
        TrafficCipher cipher = key.cipher().orElseThrow();
        TrafficRange range = new TrafficRange(query.versionId(), query.since(), query.before(), Instant.now());
        Map<String, Integer> failures = new TreeMap<>();
        Map<FeedbackMode.Outcome, Integer> outcomes = new EnumMap<>(FeedbackMode.Outcome.class);
        TrafficSample last = null;
        int seen = 0;
        while (seen < query.cut().rows()) {
            int size = Math.min(pageSize, query.cut().rows() - seen);
            TrafficSample after = last;
            Rated page = QuarkusTransaction.requiringNew().call(() -> rated(range.rows(query.cut(), after, size)));
            for (TrafficSample row : page.rows()) {
                if (!cipher.keyId().equals(row.keyId)) {
                    failures.merge("written under key " + row.keyId, 1, Integer::sum);
                    continue;
                }
                byte[] record;
                try {
                    record = cipher.open(row.nonce, row.ciphertext, row.responseId, row.versionId);
                } catch (TrafficCipher.UndecryptableException e) {
                    failures.merge(e.getMessage(), 1, Integer::sum);
                    continue;
                }
                TrafficPage.Rating rating = page.ratings().get(row.responseId);
                outcomes.merge(query.feedback().outcome(rating), 1, Integer::sum);
                byte[] ready = query.feedback().apply(record, rating);
                if (ready != null) opened.accept(row, ready, rating);
            }
            seen += page.rows().size();
            if (page.rows().size() < size) break;
            last = page.rows().get(page.rows().size() - 1);
        }
        int undecryptable = failures.values().stream().mapToInt(Integer::intValue).sum();
        if (undecryptable > 0) {
            LOG.warnf("%d kept sample(s) of version %s left out, not decryptable with the configured key %s: %s",
                    undecryptable, SafeText.of(query.versionId()), cipher.keyId(), failures);
        }
        return new Counts(undecryptable, outcomes.getOrDefault(FeedbackMode.Outcome.CORRECTED, 0),
                outcomes.getOrDefault(FeedbackMode.Outcome.LEFT_OUT, 0));
    }

    private record Rated(List<TrafficSample> rows, Map<String, TrafficPage.Rating> ratings) {
    }

    /** {@code rows} with the latest rating of each that has one, read in the same transaction. */
    private static Rated rated(List<TrafficSample> rows) {
        if (rows.isEmpty()) return new Rated(rows, Map.of());
        Map<String, TrafficPage.Rating> ratings = new HashMap<>();
        Feedback.<Feedback>list("responseId in ?1", rows.stream().map(r -> r.responseId).toList())
                .forEach(f -> ratings.put(f.responseId, new TrafficPage.Rating(f.rating, f.correction)));
        return new Rated(rows, ratings);
    }

    private boolean known(String versionId) {
        return config.baseModels().contains(versionId) || QuarkusTransaction.requiringNew().call(() ->
                ModelVersion.findById(versionId) != null
                        || TrafficSample.find("versionId", versionId).firstResultOptional().isPresent());
    }

    private static int limit(String value) {
        if (value == null) return DEFAULT_LIMIT;
        try {
            int n = Integer.parseInt(value.trim());
            if (n >= 1 && n <= MAX_LIMIT) return n;
        } catch (NumberFormatException e) {
            // answered below
        }
        throw RefusedException.invalid("query parameter limit '" + SafeText.of(value) + "' must be a whole number in "
                + "1.." + MAX_LIMIT);
    }

    /** An ISO-8601 instant, or null when the parameter is absent. */
    private static Instant instant(String parameter, String value) {
        if (value == null) return null;
        try {
            return Instant.parse(value.trim());
        } catch (DateTimeParseException e) {
            throw RefusedException.invalid("query parameter " + parameter + " '" + SafeText.of(value) + "' must be an "
                    + "ISO-8601 instant such as 2026-12-06T10:15:30Z");
        }
    }
}
