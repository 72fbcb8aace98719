package org.panacea.rest.internal;

import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import java.util.concurrent.atomic.AtomicInteger;

import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Whether this node may be given requests, as a list of named checks. Load balancers ask every few seconds, so:
 * each check must answer within the deadline or counts as down (a database that hangs makes the node not ready
 * instead of hanging the probe); a check still running from an earlier question is waited for again, not started a
 * second time (no pile of threads behind a hung database); and a check is logged when its state changes, with the
 * reason, never on every probe. The answer names each check and its state only: reasons go to the log, not to
 * whoever asks without credentials.
 */
final class Readiness implements AutoCloseable {

    private static final Logger LOG = LoggerFactory.getLogger(Readiness.class);

    /** One check: returns when what it checks is usable, throws (with the reason) when it is not. */
    @FunctionalInterface
    interface Probe {
        void check() throws Exception;
    }

    record Check(String name, Probe probe) {
    }

    record Result(String name, boolean up) {
    }

    private final List<Check> checks;
    private final Duration deadline;
    private final ExecutorService executor;
    private final Map<String, Future<?>> running = new ConcurrentHashMap<>();
    private final Map<String, Boolean> states = new ConcurrentHashMap<>();

    Readiness(List<Check> checks, Duration deadline) {
        this.checks = List.copyOf(checks);
        this.deadline = deadline;
        AtomicInteger threads = new AtomicInteger();
        this.executor = Executors.newCachedThreadPool(runnable -> {
            Thread thread = new Thread(runnable, "panacea-readiness-" + threads.incrementAndGet());
            thread.setDaemon(true);
            return thread;
        });
    }

    /** Runs every check (those still running from before are waited for) and answers each one's state. */
    List<Result> evaluate() {
        long end = System.nanoTime() + deadline.toNanos();
        List<Future<?>> started = new ArrayList<>();
        for (Check check : checks) {
            started.add(running.compute(check.name(), (name, earlier) -> earlier != null && !earlier.isDone() ? earlier
                    : executor.submit(() -> {
                        check.probe().check();
                        return null;
                    })));
        }
        List<Result> results = new ArrayList<>();
        for (int i = 0; i < checks.size(); i++) {
            String name = checks.get(i).name();
            String reason = null;
            try {
                started.get(i).get(Math.max(0, end - System.nanoTime()), TimeUnit.NANOSECONDS);
            } catch (TimeoutException e) {
                reason = "no answer within " + deadline.toMillis() + " ms";
            } catch (ExecutionException e) {
                Throwable cause = e.getCause() == null ? e : e.getCause();
                reason = cause.getClass().getSimpleName() + (cause.getMessage() == null ? "" : ": " + cause.getMessage());
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                reason = "interrupted";
            }
            boolean up = reason == null;
            Boolean before = states.put(name, up);
            if (!up && !Boolean.FALSE.equals(before)) {
                LOG.warn("Not ready: {} is down ({})", name, reason);
            } else if (up && Boolean.FALSE.equals(before)) {
                LOG.info("Ready again: {} is up", name);
            }
            results.add(new Result(name, up));
        }
        return results;
    }

    @Override
    public void close() {
        executor.shutdownNow();
    }
}
