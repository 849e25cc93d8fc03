package dev.anvil.gateway.openai;

import com.fasterxml.jackson.databind.ObjectMapper;
import dev.anvil.gateway.GatewayConfig;
import dev.anvil.gateway.live.LiveRecorder;
import dev.anvil.gateway.live.Outcome;
import dev.anvil.gateway.live.Recording;
import dev.anvil.gateway.safety.ResponseScreen;
import dev.anvil.gateway.safety.ScreenedStream;
import dev.anvil.llm.generate.Generation;
import dev.anvil.llm.serve.DeltaCollector;
import io.vertx.core.http.HttpServerResponse;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.ws.rs.core.Response;

import java.time.Duration;
import java.util.List;
import java.util.concurrent.CancellationException;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;

/**
 * Answers a prepared request, whole or streamed, in any OpenAI format: submits it, waits within the request's time
 * limit, and cancels it when its client goes away or its time is up. Each request it answers is recorded in the live
 * metrics of its version (a request the engine's full queue refused is not: it was never served). Answers pass the
 * safety rules first: the client, the live metrics, drift monitoring and the traffic store see only redacted text.
 */
@ApplicationScoped
public class Replies {
    /** A status for a request whose client left before its answer: nobody reads it (nginx's convention). */
    private static final int CLIENT_CLOSED = 499;

    private final CompletionService completions;
    private final ObjectMapper json;
    private final Duration timeout;
    private final Duration streamInterval;
    private final LiveRecorder live;
    private final ResponseScreen screen;

    public Replies(CompletionService completions, ObjectMapper json, GatewayConfig config, LiveRecorder live,
                   ResponseScreen screen) {
        this.completions = completions;
        this.json = json;
        this.live = live;
        this.screen = screen;
        this.timeout = config.requestTimeout();
        this.streamInterval = config.streamInterval();
    }

    static String timeoutMessage(Duration limit) {
        return "The request ran past the gateway's limit of " + limit.toSeconds() + " s (anvil.gateway.request-timeout)"
                + " and was stopped.";
    }

    Response reply(CompletionService.Prepared prepared, ResponseFormat format, HttpServerResponse http) {
        Recording recording = live.start(prepared.id(), prepared.target().model(), prepared.target().version(),
                prepared.created(), prepared.prompt(), prepared.reservation());
        return prepared.sampling().stream() ? stream(prepared, format, http, recording)
                : whole(prepared, format, http, recording);
    }

    private Response whole(CompletionService.Prepared prepared, ResponseFormat format, HttpServerResponse http,
                           Recording recording) {
        DeltaCollector collector = new DeltaCollector(prepared.n());
        http.closeHandler(closed -> {
            completions.cancel(prepared);
            collector.result().cancel(false);
        });
        boolean cached = completions.submit(prepared, recording.timing(collector));
        List<Generation> choices;
        try {
            choices = collector.result().get(timeout.toNanos(), TimeUnit.NANOSECONDS);
        } catch (TimeoutException e) {
            completions.cancel(prepared);
            recording.finish(Outcome.FAILED, List.of());
            throw new OpenAiException(504, timeoutMessage(timeout), "server_error", null, "request_timeout");
        } catch (CancellationException clientGone) {
            recording.finish(Outcome.CLIENT_GONE, List.of());
            return Response.status(CLIENT_CLOSED).build();
        } catch (InterruptedException e) {
            completions.cancel(prepared);
            Thread.currentThread().interrupt();
            recording.finish(Outcome.CLIENT_GONE, List.of());
            return Response.status(CLIENT_CLOSED).build();
        } catch (ExecutionException e) {
            recording.finish(Outcome.FAILED, List.of());
            throw e.getCause() instanceof RuntimeException r ? r : new IllegalStateException(e.getCause());
        }
        choices = screen.screen(prepared.target().model(), prepared.target().version(), choices);
        recording.remember();
        recording.finish(Outcome.ANSWERED, choices);
        return Served.response(prepared, cached, format.whole(choices));
    }

    private Response stream(CompletionService.Prepared prepared, ResponseFormat format, HttpServerResponse http,
                            Recording recording) {
        ScreenedStream screened = screen.stream(prepared.target().model(), prepared.target().version(), prepared.n(),
                prepared.request().promptIds().length, prepared.target().engine()::encode);
        SseStream stream = new SseStream(prepared, format, json, timeout, streamInterval,
                () -> completions.cancel(prepared), http::closed, recording, screened);
        boolean cached = completions.submit(prepared, recording.timing(stream));
        return Served.headers(Response.ok(stream, "text/event-stream; charset=utf-8").header("Cache-Control", "no-cache"),
                prepared, cached).build();
    }
}
