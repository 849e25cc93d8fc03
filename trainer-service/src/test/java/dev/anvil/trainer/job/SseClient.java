package dev.anvil.trainer.job;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.TimeUnit;
import java.util.stream.Stream;

/**
 * A plain HTTP client reading a server-sent event stream as it arrives (JDK HttpClient, line by line, on a thread
 * of its own): events come out in order, then the end of the stream.
 */
final class SseClient implements AutoCloseable {
    private static final ObjectMapper JSON = new ObjectMapper();
    private static final Object END = new Object();

    record Event(String name, JsonNode data) {
    }

    private final BlockingQueue<Object> received = new LinkedBlockingQueue<>();
    private final Stream<String> lines;
    private final Thread reader;
    private volatile Exception failure;

    private SseClient(Stream<String> lines) {
        this.lines = lines;
        this.reader = new Thread(this::read, "sse-client");
        reader.setDaemon(true);
        reader.start();
    }

    /** Connects; the response's status and content type are checked by the caller through {@code response}. */
    static SseClient open(URI uri) throws Exception {
        HttpResponse<Stream<String>> response = HttpClient.newHttpClient().sendAsync(
                HttpRequest.newBuilder(uri).header("Accept", "text/event-stream").build(),
                HttpResponse.BodyHandlers.ofLines()).get(30, TimeUnit.SECONDS);
        if (response.statusCode() != 200) {
            throw new AssertionError("GET " + uri + " answered " + response.statusCode());
        }
        String type = response.headers().firstValue("Content-Type").orElse("");
        if (!type.startsWith("text/event-stream")) throw new AssertionError("content type " + type);
        return new SseClient(response.body());
    }

    private void read() {
        String name = "message";
        StringBuilder data = new StringBuilder();
        try {
            for (String line : (Iterable<String>) lines::iterator) {
                if (line.isEmpty()) {
                    if (!data.isEmpty()) received.add(new Event(name, JSON.readTree(data.toString())));
                    name = "message";
                    data.setLength(0);
                } else if (line.startsWith("event:")) {
                    name = line.substring(6).trim();
                } else if (line.startsWith("data:")) {
                    if (!data.isEmpty()) data.append('\n');
                    data.append(line.substring(5).stripLeading());
                }
            }
        } catch (IOException | UncheckedIOException e) {
            failure = e; // an event that is not JSON, or the connection failed or was closed by close()
        } finally {
            received.add(END);
        }
    }

    /** The next event, failing when the stream ends or nothing comes within {@code timeout}. */
    Event next(Duration timeout) throws InterruptedException {
        Object next = received.poll(timeout.toMillis(), TimeUnit.MILLISECONDS);
        if (next == null) throw new AssertionError("no event within " + timeout);
        if (next == END) throw new AssertionError("the stream ended", failure);
        return (Event) next;
    }

    /** Every remaining event up to the end of the stream, which must come within {@code timeout}. */
    List<Event> rest(Duration timeout) throws InterruptedException {
        List<Event> events = new ArrayList<>();
        long deadline = System.nanoTime() + timeout.toNanos();
        while (true) {
            Object next = received.poll(Math.max(0, deadline - System.nanoTime()), TimeUnit.NANOSECONDS);
            if (next == null) throw new AssertionError("the stream did not end within " + timeout + "; got " + events);
            if (next == END) {
                if (failure != null) throw new AssertionError("the stream failed after " + events, failure);
                return events;
            }
            events.add((Event) next);
        }
    }

    @Override
    public void close() throws InterruptedException {
        lines.close();
        reader.join(5_000);
    }
}
