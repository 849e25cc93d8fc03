package dev.anvil.gateway.drift;

import java.time.Instant;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;

/**
 * The drift state of one version: its first {@code referenceSize} requests become its reference, then its traffic
 * is cut into live windows of {@code windowSize} requests (or what {@code windowMaxAge} gathered, if at least
 * {@code minSamples}), each compared with the reference as it closes. Windows follow one another without overlap,
 * so that an alert belongs to one window. Thread-safe.
 */
public final class VersionDrift {
    private final String version;
    private final DriftSettings settings;
    private final List<RequestFeatures> referenceSample = new ArrayList<>();
    private Instant referenceStart;
    private Instant referenceEnd;
    private Reference reference;
    private List<RequestFeatures> window = new ArrayList<>();
    private Instant windowStart;
    private WindowReport lastWindow;
    private long windows;
    /** The latest requests, reference or not: what a comparison with another version reads. */
    private final ArrayDeque<RequestFeatures> recent = new ArrayDeque<>();

    public VersionDrift(String version, DriftSettings settings) {
        this.version = version;
        this.settings = settings;
    }

    /** Adds one request seen {@code at}; the report of the window it closed, if it closed one. */
    public synchronized Optional<WindowReport> add(RequestFeatures features, Instant at) {
        if (recent.size() == settings.windowSize()) recent.removeFirst();
        recent.addLast(features);
        if (reference == null) {
            if (referenceSample.isEmpty()) referenceStart = at;
            referenceSample.add(features);
            if (referenceSample.size() == settings.referenceSize()) {
                reference = Reference.of(referenceSample, settings.rareTop());
                referenceEnd = at;
                referenceSample.clear();
            }
            return Optional.empty();
        }
        if (window.isEmpty()) windowStart = at;
        window.add(features);
        return window.size() >= settings.windowSize() ? Optional.of(close(at)) : Optional.empty();
    }

    /** Closes the open window when it is older than the longest a window stays open and holds enough requests. */
    public synchronized Optional<WindowReport> closeIfDue(Instant now) {
        if (reference == null || window.size() < settings.minSamples()) return Optional.empty();
        if (windowStart.plus(settings.windowMaxAge()).isAfter(now)) return Optional.empty();
        return Optional.of(close(now));
    }

    private WindowReport close(Instant end) {
        WindowReport report = new WindowReport(version, windowStart, end, window.size(),
                reference.compare(window, settings.thresholds()));
        window = new ArrayList<>();
        windowStart = null;
        lastWindow = report;
        windows++;
        return report;
    }

    /** The latest {@code window-size} requests, oldest first. */
    public synchronized List<RequestFeatures> recent() {
        return List.copyOf(recent);
    }

    /** What the admin API shows of this version. */
    public synchronized View view() {
        int referenceSamples = reference != null ? reference.samples() : referenceSample.size();
        return new View(version, new View.Span(referenceStart, referenceEnd, referenceSamples, reference != null),
                new View.Span(windowStart, null, window.size(), false), windows, lastWindow);
    }

    /**
     * @param reference  the reference: its first and last request and size; {@code complete} once fixed
     * @param openWindow the window gathering now
     * @param windows    how many windows were compared
     * @param lastWindow the latest compared window, null before the first
     */
    public record View(String version, Span reference, Span openWindow, long windows, WindowReport lastWindow) {
        public record Span(Instant start, Instant end, int samples, boolean complete) {
        }
    }
}
