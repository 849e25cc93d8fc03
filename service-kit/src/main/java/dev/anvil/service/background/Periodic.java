package dev.anvil.service.background;

import org.jboss.logging.Logger;

import java.time.Duration;
import java.util.concurrent.Executors;
import java.util.concurrent.RejectedExecutionException;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;

/**
 * A task a service runs in the background on a daemon thread of its own: every {@code interval} after the previous
 * run ended, and at once on {@link #wake()}. Runs never overlap. A run that throws is logged and the next one comes as
 * planned, so that a broker or database outage never ends the schedule; {@link #close()} (at shutdown) interrupts a
 * run under way and ends it.
 */
public final class Periodic implements AutoCloseable {
    private static final Logger LOG = Logger.getLogger(Periodic.class);

    private final String name;
    private final Runnable task;
    private final ScheduledExecutorService thread;

    private Periodic(String name, Runnable task) {
        this.name = name;
        this.task = task;
        this.thread = Executors.newSingleThreadScheduledExecutor(r -> {
            Thread t = new Thread(r, name);
            t.setDaemon(true);
            return t;
        });
    }

    /** Runs {@code task} every {@code interval}, the first time one interval from now. */
    public static Periodic every(String name, Duration interval, Runnable task) {
        return every(name, interval, interval, task);
    }

    /** Runs {@code task} every {@code interval}, the first time after {@code firstAfter} (zero: at once). */
    public static Periodic every(String name, Duration interval, Duration firstAfter, Runnable task) {
        Periodic periodic = new Periodic(name, task);
        periodic.thread.scheduleWithFixedDelay(periodic::runOnce, firstAfter.toMillis(),
                Math.max(1, interval.toMillis()), TimeUnit.MILLISECONDS);
        return periodic;
    }

    /** Runs the task once more soon (work just arrived), after any run under way. */
    public void wake() {
        try {
            thread.execute(this::runOnce);
        } catch (RejectedExecutionException closed) {
            // shutting down: nothing more to run
        }
    }

    @Override
    public void close() {
        thread.shutdownNow();
    }

    private void runOnce() {
        try {
            task.run();
        } catch (RuntimeException e) {
            if (Thread.currentThread().isInterrupted()) return; // closed while it ran
            LOG.warnf("%s: %s; the next run tries again", name, e.toString());
        }
    }
}
