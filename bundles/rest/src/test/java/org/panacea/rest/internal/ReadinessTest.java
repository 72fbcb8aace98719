package org.panacea.rest.internal;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.time.Duration;
import java.util.List;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.atomic.AtomicInteger;

import org.junit.jupiter.api.Test;

class ReadinessTest {

    @Test
    void aCheckThatHangsIsDownWithinTheDeadlineAndIsNotStartedAgainWhileItHangs() throws Exception {
        CountDownLatch release = new CountDownLatch(1);
        AtomicInteger started = new AtomicInteger();
        try (Readiness readiness = new Readiness(List.of(
                new Readiness.Check("hangs", () -> {
                    started.incrementAndGet();
                    release.await();
                }),
                new Readiness.Check("answers", () -> { })), Duration.ofMillis(200))) {
            for (int i = 0; i < 3; i++) {
                long before = System.nanoTime();
                assertEquals(List.of(new Readiness.Result("hangs", false), new Readiness.Result("answers", true)),
                        readiness.evaluate());
                assertTrue(System.nanoTime() - before < Duration.ofSeconds(2).toNanos(), "answered near the deadline");
            }
            assertEquals(1, started.get(), "one thread waits on what hangs, not one per probe");
            release.countDown();
            Thread.sleep(50);
            assertEquals(List.of(new Readiness.Result("hangs", true), new Readiness.Result("answers", true)),
                    readiness.evaluate());
            assertEquals(2, started.get());
        }
    }

    @Test
    void aCheckThatThrowsIsDownAndUpAgainOnceItAnswers() {
        AtomicInteger calls = new AtomicInteger();
        try (Readiness readiness = new Readiness(List.of(new Readiness.Check("flaky", () -> {
            if (calls.incrementAndGet() == 1) {
                throw new IllegalStateException("not yet");
            }
        })), Duration.ofSeconds(1))) {
            assertEquals(List.of(new Readiness.Result("flaky", false)), readiness.evaluate());
            assertEquals(List.of(new Readiness.Result("flaky", true)), readiness.evaluate());
        }
    }
}
