package org.panacea.sdk.testkit;

import java.time.Duration;
import java.util.concurrent.Callable;
import java.util.concurrent.atomic.AtomicReference;

/**
 * What a call does when its thread is interrupted, as the engine interrupts a call that runs past its time limit:
 * the call runs on a thread of its own, is interrupted after a short while, and must end (return or throw) within a
 * deadline. A call that ignores the interruption keeps an engine thread and its memory busy until it finishes by
 * itself, which for a runaway loop is never.
 */
public final class Interruption {

    static final String THREAD_NAME = "panacea-testkit-interrupted-call";

    private Interruption() {
    }

    /**
     * How the call ended.
     *
     * @param endedBeforeInterruption the call was over before the interruption came (too quick to tell)
     * @param ended                   it returned or threw within the deadline
     * @param afterInterruption       how long it ran on after the interruption (the deadline when it did not end)
     * @param failure                 what it threw, or {@code null}
     */
    public record Outcome(boolean endedBeforeInterruption, boolean ended, Duration afterInterruption,
            Throwable failure) {
    }

    /**
     * Runs {@code call} on a new daemon thread, interrupts that thread after {@code interruptAfter}, and waits up to
     * {@code deadline} for it to end. A call that does not end is left running on its daemon thread.
     */
    public static Outcome of(Callable<?> call, Duration interruptAfter, Duration deadline) throws InterruptedException {
        AtomicReference<Throwable> failure = new AtomicReference<>();
        Thread thread = new Thread(() -> {
            try {
                call.call();
            } catch (Throwable t) { // NOPMD: any outcome of the call is reported, none escapes the thread
                failure.set(t);
            }
        }, THREAD_NAME);
        thread.setDaemon(true);
        thread.start();
        thread.join(interruptAfter.toMillis());
        if (!thread.isAlive()) {
            return new Outcome(true, true, Duration.ZERO, failure.get());
        }
        long interrupted = System.nanoTime();
        thread.interrupt();
        thread.join(Math.max(1, deadline.toMillis()));
        Duration after = Duration.ofNanos(System.nanoTime() - interrupted);
        return new Outcome(false, !thread.isAlive(), thread.isAlive() ? deadline : after, failure.get());
    }
}
