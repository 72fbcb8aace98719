package org.panacea.itests;

import java.time.Duration;
import java.util.function.Predicate;
import java.util.concurrent.Callable;

/**
 * Waits for what the platform does asynchronously (DS activation, EventAdmin delivery, servlet registration):
 * probes until the answer is acceptable or the time is up, and returns the last answer for the test to assert on.
 */
final class Eventually {

    private Eventually() {
    }

    static <T> T waitFor(Callable<T> probe, Predicate<T> acceptable, Duration timeout) throws Exception {
        long deadline = System.nanoTime() + timeout.toNanos();
        T answer = probe.call();
        while (!acceptable.test(answer) && System.nanoTime() < deadline) {
            Thread.sleep(100);
            answer = probe.call();
        }
        return answer;
    }
}
