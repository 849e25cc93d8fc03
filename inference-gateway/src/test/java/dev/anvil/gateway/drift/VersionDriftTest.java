package dev.anvil.gateway.drift;

import org.junit.jupiter.api.Test;

import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.EnumMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Random;
import java.util.Set;
import java.util.stream.Collectors;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * Windows and thresholds on synthetic traffic whose distributions are known: a stable stream raises nothing over
 * many windows, and each kind of shift raises the feature it moves (and no other unrelated one). The default
 * settings: reference 500, windows of 200, PSI 0.2 with KS p 0.01, Jensen-Shannon 0.1, centroid 0.1.
 */
class VersionDriftTest {
    static final DriftSettings DEFAULTS = new DriftSettings(500, 200, 100, Duration.ofMinutes(15), 1000,
            new DriftThresholds(0.2, 0.01, 0.1, 0.1));
    static final int DIMENSIONS = 32;

    /** A stream of requests: prompt lengths, vocabulary, script, topic and refusal rate. */
    record Traffic(int meanPromptTokens, int firstToken, int vocabulary, boolean cyrillic, int topic,
                   double refusalRate) {
        static final Traffic STABLE = new Traffic(20, 0, 300, false, 0, 0.02);
    }

    private final Random random = new Random(20261206);
    private final float[][] topics = {direction(), direction()};

    @Test
    void aStableStreamRaisesNothingOverFiftyWindows() {
        VersionDrift drift = new VersionDrift("v1", DEFAULTS);
        List<WindowReport> reports = feed(drift, Traffic.STABLE, 500 + 50 * 200);
        assertEquals(50, reports.size());
        long falseAlarms = reports.stream().mapToLong(r -> r.drifted().size()).sum();
        assertEquals(0, falseAlarms, () -> "false alarms: " + reports.stream().flatMap(r -> r.drifted().stream())
                .map(c -> c.feature() + " " + c.statistics()).toList());
    }

    @Test
    void muchLongerPromptsRaisePromptTokens() {
        assertEquals(Set.of("prompt_tokens"), driftedAfter(new Traffic(60, 0, 300, false, 0, 0.02)));
    }

    @Test
    void anotherLanguageRaisesRareTokensAndCharacters() {
        Set<String> drifted = driftedAfter(new Traffic(20, 300, 200, true, 0, 0.02));
        assertTrue(drifted.containsAll(Set.of("rare_token_share", "prompt_characters")), drifted::toString);
        assertFalse(drifted.contains("prompt_tokens"), drifted::toString);
    }

    @Test
    void anotherTopicRaisesTheEmbedding() {
        assertEquals(Set.of("prompt_embedding"), driftedAfter(new Traffic(20, 0, 300, false, 1, 0.02)));
    }

    @Test
    void moreRefusalsRaiseRefusal() {
        assertEquals(Set.of("refusal"), driftedAfter(new Traffic(20, 0, 300, false, 0, 0.25)));
    }

    @Test
    void aQuietWindowClosesAfterItsMaximumAgeOnlyWithEnoughRequests() {
        VersionDrift drift = new VersionDrift("v1", DEFAULTS);
        Instant t0 = Instant.parse("2026-12-06T12:00:00Z");
        feed(drift, Traffic.STABLE, 500);
        for (int i = 0; i < 99; i++) drift.add(request(Traffic.STABLE), t0);
        assertTrue(drift.closeIfDue(t0.plus(Duration.ofHours(1))).isEmpty(), "99 < min-samples 100");
        drift.add(request(Traffic.STABLE), t0);
        assertTrue(drift.closeIfDue(t0.plus(Duration.ofMinutes(14))).isEmpty(), "younger than 15 minutes");
        Optional<WindowReport> closed = drift.closeIfDue(t0.plus(Duration.ofMinutes(15)));
        assertEquals(100, closed.orElseThrow().samples());
        assertEquals(0, drift.view().openWindow().samples());
        assertEquals(1, drift.view().windows());
    }

    @Test
    void theReferenceIsTheFirstRequests() {
        VersionDrift drift = new VersionDrift("v1", DEFAULTS);
        feed(drift, Traffic.STABLE, 499);
        assertFalse(drift.view().reference().complete());
        assertEquals(499, drift.view().reference().samples());
        feed(drift, Traffic.STABLE, 1);
        assertTrue(drift.view().reference().complete());
        assertEquals(500, drift.view().reference().samples());
    }

    @Test
    void aHistogramNamesItsBinsAndABinOfOneValueReadsAsThatValue() {
        List<RequestFeatures> reference = new ArrayList<>();
        List<RequestFeatures> live = new ArrayList<>();
        for (int i = 0; i < 10; i++) {
            reference.add(new RequestFeatures(new int[]{1, 2, 3}, 8, false, Map.of(), null));
            live.add(new RequestFeatures(new int[]{1, 2, 3}, 9, false, Map.of(), null));
        }
        FeatureCheck responses = Reference.of(reference, 1000).compare(live, DEFAULTS.thresholds()).stream()
                .filter(c -> c.feature().equals("response_tokens")).findFirst().orElseThrow();
        assertEquals(List.of("< 8", "= 8", "> 8"), responses.histogram().bins());
        assertEquals(List.of(1e-4, 1.0, 1e-4), Arrays.stream(responses.histogram().reference()).boxed().toList());
        assertEquals(List.of(1e-4, 1e-4, 1.0), Arrays.stream(responses.histogram().live()).boxed().toList());
        assertTrue(responses.drifted(), "PSI " + responses.statistics());
    }

    /** The features that drifted in the first window of {@code shifted} traffic after a stable reference. */
    private Set<String> driftedAfter(Traffic shifted) {
        VersionDrift drift = new VersionDrift("v1", DEFAULTS);
        feed(drift, Traffic.STABLE, 500);
        List<WindowReport> reports = feed(drift, shifted, 200);
        assertEquals(1, reports.size());
        return reports.get(0).drifted().stream().map(FeatureCheck::feature).collect(Collectors.toSet());
    }

    private List<WindowReport> feed(VersionDrift drift, Traffic traffic, int requests) {
        List<WindowReport> reports = new ArrayList<>();
        Instant at = Instant.parse("2026-12-06T12:00:00Z");
        for (int i = 0; i < requests; i++) drift.add(request(traffic), at.plusSeconds(i)).ifPresent(reports::add);
        return reports;
    }

    private RequestFeatures request(Traffic t) {
        int length = Math.max(1, (int) Math.round(t.meanPromptTokens() + random.nextGaussian() * t.meanPromptTokens() / 4.0));
        int[] ids = new int[length];
        // Zipf-like: small ids far more often, as in natural text.
        for (int i = 0; i < length; i++) ids[i] = t.firstToken() + (int) (t.vocabulary() * Math.pow(random.nextDouble(), 3));
        Map<CharacterClass, Long> characters = new EnumMap<>(CharacterClass.class);
        characters.put(t.cyrillic() ? CharacterClass.CYRILLIC_LETTER : CharacterClass.LATIN_LETTER, length * 4L);
        characters.put(CharacterClass.WHITESPACE, (long) length);
        characters.put(CharacterClass.OTHER, (long) random.nextInt(3));
        int response = 5 + random.nextInt(36);
        return new RequestFeatures(ids, response, random.nextDouble() < t.refusalRate(), characters,
                near(topics[t.topic()]));
    }

    /** A random unit vector. */
    private float[] direction() {
        float[] v = new float[DIMENSIONS];
        for (int i = 0; i < DIMENSIONS; i++) v[i] = (float) random.nextGaussian();
        return v;
    }

    /** A prompt of a topic: its direction plus as much noise again. */
    private float[] near(float[] topic) {
        float[] noise = direction();
        float[] v = new float[DIMENSIONS];
        for (int i = 0; i < DIMENSIONS; i++) v[i] = topic[i] + noise[i];
        return v;
    }
}
