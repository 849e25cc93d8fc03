package dev.anvil.gateway.openai;

import com.fasterxml.jackson.databind.ObjectMapper;
import dev.anvil.gateway.GatewayConfig;
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
 * limit, and cancels it when its client goes away or its time is up.
 */
@ApplicationScoped
public class Replies {
    /** A status for a request whose client left before its answer: nobody reads it (nginx's convention). */
    private static final int CLIENT_CLOSED = 499;

    private final CompletionService completions;
    private final ObjectMapper json;
    private final Duration timeout;
    private final Duration streamInterval;

    public Replies(CompletionService completions, ObjectMapper json, GatewayConfig config) {
        this.completions = completions;
        this.json = json;
        this.timeout = config.requestTimeout();
        this.streamInterval = config.streamInterval();
    }

    static String timeoutMessage(Duration limit) {
        return "The request ran past the gateway's limit of " + limit.toSeconds() + " s (anvil.gateway.request-timeout)"
                + " and was stopped.";
    }

    Response reply(CompletionService.Prepared prepared, ResponseFormat format, HttpServerResponse http) {
        return prepared.sampling().stream() ? stream(prepared, format, http) : whole(prepared, format, http);
    }

    private Response whole(CompletionService.Prepared prepared, ResponseFormat format, HttpServerResponse http) {
        DeltaCollector collector = new DeltaCollector(prepared.n());
        http.closeHandler(closed -> {
            completions.cancel(prepared);
            collector.result().cancel(false);
        });
        completions.submit(prepared, collector);
        List<Generation> choices;
        try {
            choices = collector.result().get(timeout.toNanos(), TimeUnit.NANOSECONDS);
        } catch (TimeoutException e) {
            completions.cancel(prepared);
            throw new OpenAiException(504, timeoutMessage(timeout), "server_error", null, "request_timeout");
        } catch (CancellationException clientGone) {
            return Response.status(CLIENT_CLOSED).build();
        } catch (InterruptedException e) {
            completions.cancel(prepared);
            Thread.currentThread().interrupt();
            return Response.status(CLIENT_CLOSED).build();
        } catch (ExecutionException e) {
            throw e.getCause() instanceof RuntimeException r ? r : new IllegalStateException(e.getCause());
        }
        return Served.response(prepared, format.whole(choices));
    }

    private Response stream(CompletionService.Prepared prepared, ResponseFormat format, HttpServerResponse http) {
        SseStream stream = new SseStream(prepared, format, json, timeout, streamInterval,
                () -> completions.cancel(prepared), http::closed);
        completions.submit(prepared, stream);
        return Response.ok(stream, "text/event-stream; charset=utf-8").header("Cache-Control", "no-cache")
                .header(Served.VERSION_HEADER, prepared.target().version()).build();
    }
}
