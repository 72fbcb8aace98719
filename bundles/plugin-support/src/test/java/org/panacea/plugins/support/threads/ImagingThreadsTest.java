package org.panacea.plugins.support.threads;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;

import java.util.concurrent.ForkJoinPool;

import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.parallel.Isolated;

/** The thread cap an operator sets: honoured at once, never above the cores, ignored when not a positive number. */
@Isolated
class ImagingThreadsTest {

    private static final int CORES = ForkJoinPool.getCommonPoolParallelism() + 1;

    @AfterEach
    void clear() {
        System.clearProperty(ImagingThreads.PROPERTY);
    }

    @Test
    void unsetMeansEveryCore() {
        System.clearProperty(ImagingThreads.PROPERTY);
        assertEquals(CORES, ImagingThreads.available());
        assertEquals(CORES > 1, ImagingThreads.parallel());
    }

    @Test
    void oneKeepsEveryImageOnTheCallingThreadAndAppliesWithoutRestart() {
        assertEquals(CORES, ImagingThreads.available());
        System.setProperty(ImagingThreads.PROPERTY, "1");
        assertEquals(1, ImagingThreads.available());
        assertFalse(ImagingThreads.parallel());
        System.setProperty(ImagingThreads.PROPERTY, " 1 ");
        assertEquals(1, ImagingThreads.available());
    }

    @Test
    void aCapAboveTheCoresGivesTheCores() {
        System.setProperty(ImagingThreads.PROPERTY, Integer.toString(CORES + 7));
        assertEquals(CORES, ImagingThreads.available());
    }

    @Test
    void zeroNegativeAndGarbageAreIgnored() {
        for (String value : new String[] { "0", "-3", "all", "", "2.5" }) {
            System.setProperty(ImagingThreads.PROPERTY, value);
            assertEquals(CORES, ImagingThreads.available(), value);
        }
    }
}
