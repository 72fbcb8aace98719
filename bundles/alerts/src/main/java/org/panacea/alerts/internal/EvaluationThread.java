package org.panacea.alerts.internal;

import java.time.Duration;
import java.util.concurrent.Semaphore;
import java.util.concurrent.TimeUnit;

import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The thread that runs the {@link TrailEvaluator}'s rounds: one after every {@link #wake()} (this node committed
 * entries), and one every poll interval whatever happens, which is how entries committed on other nodes are seen and
 * how a node waiting for the lease notices it expired. Wake-ups that come while a round runs make one round more, not
 * one each.
 */
final class EvaluationThread {

    private static final Logger LOG = LoggerFactory.getLogger(EvaluationThread.class);
    private static final long STOP_TIMEOUT_MILLIS = 10_000;

    private final Runnable round;
    private final Duration poll;
    private final Semaphore wakeUps = new Semaphore(0);
    private final Thread thread;
    private volatile boolean running = true;

    EvaluationThread(Runnable round, Duration poll) {
        this.round = round;
        this.poll = poll;
        this.thread = new Thread(this::loop, "panacea-alerts-evaluator");
        thread.setDaemon(true);
    }

    void start() {
        thread.start();
    }

    /** Asks for a round as soon as the current one (if any) ends. */
    void wake() {
        if (wakeUps.availablePermits() == 0) {
            wakeUps.release();
        }
    }

    /** Stops after the round under way; waits for it a while. */
    void stop() {
        running = false;
        wakeUps.release();
        try {
            thread.join(STOP_TIMEOUT_MILLIS);
            if (thread.isAlive()) {
                LOG.warn("The alert evaluator did not stop within {} ms", STOP_TIMEOUT_MILLIS);
            }
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }

    private void loop() {
        while (running) {
            try {
                round.run();
            } catch (RuntimeException e) {
                // A round logs its own failures; this keeps the thread alive whatever slips through.
                LOG.error("An alert evaluation round failed", e);
            }
            try {
                wakeUps.tryAcquire(poll.toMillis(), TimeUnit.MILLISECONDS);
                wakeUps.drainPermits();
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                return;
            }
        }
    }
}
