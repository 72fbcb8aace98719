package org.panacea.engine.internal.run;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

import org.junit.jupiter.api.Test;

class MemoryGuardTest {

    private static final long MIB = 1024 * 1024;

    @Test
    void whatRunningCallsReservedCountsAsTaken() {
        MemoryGuard guard = new MemoryGuard(() -> 100 * MIB, () -> 1024 * MIB);

        MemoryGuard.Reservation first = guard.reserve(60 * MIB, "run 1");
        InsufficientMemoryException e = assertThrows(InsufficientMemoryException.class,
                () -> guard.reserve(60 * MIB, "run 2"));
        assertEquals("run 2 needs about 60 MiB of working memory for this input, but only 40 MiB of the heap are "
                + "free (60 MiB held by runs in progress); try again shortly", e.getMessage());
        assertEquals(5, e.retryAfterSeconds());

        first.close();
        first.close();
        assertEquals(0, guard.reserved());
        guard.reserve(60 * MIB, "run 2").close();
    }

    @Test
    void anInputLargerThanTheWholeHeapSaysSo() {
        MemoryGuard guard = new MemoryGuard(() -> 900 * MIB, () -> 1024 * MIB);

        InsufficientMemoryException e = assertThrows(InsufficientMemoryException.class,
                () -> guard.reserve(4 * 2048L * 2048 * 4 * 20, "imaging algorithm x 1.0.0"));

        assertEquals("imaging algorithm x 1.0.0 needs about 1280 MiB of working memory for this input, more than the "
                + "whole heap of 1024 MiB; give the platform more memory (JAVA_MAX_MEM in bin/setenv)",
                e.getMessage());
    }
}
