package dev.anvil.gateway.openai;

import com.fasterxml.jackson.databind.ObjectMapper;
import dev.anvil.gateway.live.Outcome;
import dev.anvil.gateway.live.Recording;
import dev.anvil.gateway.safety.ScreenedStream;
import dev.anvil.llm.generate.Generation;
import dev.anvil.llm.generate.TokenLogprob;
import dev.anvil.llm.serve.Delta;
import dev.anvil.llm.serve.DeltaSink;
import jakarta.ws.rs.core.StreamingOutput;
import org.jboss.logging.Logger;

import java.io.IOException;
import java.io.OutputStream;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.UUID;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.locks.LockSupport;
import java.util.function.BooleanSupplier;

/**
 * One streamed response in OpenAI's server-sent events: {@code data: <chunk>} and a blank line per chunk, ending
 * with {@code data: [DONE]}. The engine's decode thread hands deltas over through a queue (it never waits on a
 * client); the HTTP worker writes them. A client gone or the request's time running out cancels the generation, so
 * the engine stops spending on it. The connection's state is asked, not learnt from a failed write: the server's
 * output stream drops writes to a closed connection silently, and owns the connection's close handler. Its end, with
 * its outcome and the finished choices' texts, goes to the live metrics once the last byte is written. Deltas pass the
 * safety screen on their way out, which holds a little text back until it is safe to send.
 */
final class SseStream implements StreamingOutput, DeltaSink {
    private static final Logger LOG = Logger.getLogger(SseStream.class);
    private static final byte[] DATA = "data: ".getBytes(StandardCharsets.US_ASCII);
    private static final byte[] DONE = "data: [DONE]\n\n".getBytes(StandardCharsets.US_ASCII);
    /** How often a stream waiting for its next delta looks whether its client is still there. */
    private static final long CHECK_NANOS = TimeUnit.MILLISECONDS.toNanos(50);

    private final CompletionService.Prepared prepared;
    private final ResponseFormat format;
    private final ObjectMapper json;
    private final Duration timeout;
    private final Runnable cancel;
    private final BooleanSupplier clientGone;
    private final long interval;
    private final LinkedBlockingQueue<Object> events = new LinkedBlockingQueue<>();
    private final Recording recording;
    private final Generation[] finals;
    private final ScreenedStream screened;

    SseStream(CompletionService.Prepared prepared, ResponseFormat format, ObjectMapper json, Duration timeout,
              Duration interval, Runnable cancel, BooleanSupplier clientGone, Recording recording,
              ScreenedStream screened) {
        this.prepared = prepared;
        this.format = format;
        this.json = json;
        this.timeout = timeout;
        this.cancel = cancel;
        this.clientGone = clientGone;
        this.interval = interval.toNanos();
        this.recording = recording;
        this.finals = new Generation[prepared.n()];
        this.screened = screened;
    }

    @Override
    public void onDelta(Delta delta) {
        events.add(delta);
    }

    @Override
    public void onError(Throwable error) {
        events.add(error);
    }

    @Override
    public void write(OutputStream out) throws IOException {
        Outcome outcome = Outcome.CLIENT_GONE;
        try {
            outcome = stream(out);
        } catch (IOException clientGone) {
            cancel.run(); // nobody reads the rest
        } catch (InterruptedException e) {
            cancel.run();
            Thread.currentThread().interrupt();
        } finally {
            recording.finish(outcome, Arrays.stream(finals).filter(Objects::nonNull).toList());
        }
    }

    private Outcome stream(OutputStream out) throws IOException, InterruptedException {
        int n = prepared.n();
        for (int i = 0; i < n; i++) send(out, format.opening(i));
        out.flush();
        Outcome outcome = Outcome.ANSWERED;
        int finished = 0;
        long deadline = System.nanoTime() + timeout.toNanos();
        while (finished < n) {
            long left = deadline - System.nanoTime();
            Object event = left > 0 ? events.poll(Math.min(left, CHECK_NANOS), TimeUnit.NANOSECONDS) : null;
            if (clientGone.getAsBoolean()) {
                cancel.run();
                return Outcome.CLIENT_GONE;
            }
            if (event == null) {
                if (System.nanoTime() - deadline < 0) continue;
                cancel.run();
                send(out, OpenAiError.of(Replies.timeoutMessage(timeout), "server_error", null, "request_timeout"));
                outcome = Outcome.FAILED;
                break;
            }
            if (event instanceof Throwable failure) {
                sendFailure(out, failure);
                outcome = Outcome.FAILED;
                break;
            }
            // Deltas that come within the stream interval go out merged, one chunk per choice and one flush: fewer
            // chunks to encode, send and parse, fewer wake-ups of this thread.
            if (interval > 0) LockSupport.parkNanos(interval);
            List<Delta> batch = new ArrayList<>();
            batch.add((Delta) event);
            while (events.peek() instanceof Delta) batch.add((Delta) events.poll());
            for (Delta delta : screened.screen(merged(batch))) {
                send(out, format.text(delta));
                if (delta.isLast()) {
                    finals[delta.choice()] = delta.finished();
                    send(out, format.finish(delta.choice(), delta.finished()));
                    finished++;
                }
            }
            out.flush();
        }
        if (screened.endedEarly()) cancel.run(); // a choice a filter ended still generates, for nobody
        if (finished == n && prepared.sampling().includeUsage()) {
            send(out, format.usage(WireTypes.Usage.of(Arrays.asList(finals))));
        }
        recording.remember(); // every chunk carried the response id: the client may rate what it got
        out.write(DONE);
        out.flush();
        return outcome;
    }

    /** Consecutive deltas of each choice as one, choices in order of their first delta. */
    static List<Delta> merged(List<Delta> deltas) {
        if (deltas.size() == 1) return deltas;
        Map<Integer, List<Delta>> byChoice = new LinkedHashMap<>();
        for (Delta d : deltas) byChoice.computeIfAbsent(d.choice(), c -> new ArrayList<>()).add(d);
        List<Delta> out = new ArrayList<>(byChoice.size());
        for (List<Delta> parts : byChoice.values()) {
            StringBuilder text = new StringBuilder();
            List<TokenLogprob> logprobs = new ArrayList<>();
            Generation finished = null;
            for (Delta d : parts) {
                text.append(d.text());
                logprobs.addAll(d.logprobs());
                if (d.isLast()) finished = d.finished();
            }
            out.add(new Delta(parts.get(0).choice(), text.toString(), logprobs, finished));
        }
        return out;
    }

    private void sendFailure(OutputStream out, Throwable failure) throws IOException {
        String incident = UUID.randomUUID().toString();
        LOG.errorf(failure, "incident %s: streaming %s failed", incident, prepared.id());
        send(out, OpenAiError.of("The server failed; incident " + incident + " is in its log.", "server_error",
                null, null));
    }

    private void send(OutputStream out, Object chunk) throws IOException {
        if (chunk == null) return;
        out.write(DATA);
        out.write(json.writeValueAsBytes(chunk));
        out.write('\n');
        out.write('\n');
    }
}
