package org.panacea.plugins.imaging.bench;

import java.util.concurrent.ForkJoinPool;

import org.opencv.core.Core;
import org.panacea.plugins.support.threads.ImagingThreads;
import org.visnow.jlargearrays.ConcurrencyUtils;

import ij.Prefs;

/**
 * Gives Panacea and every peer the same number of threads for a run, from the benchmarks' {@code threads}
 * parameter: {@code 1} (Panacea's {@value ImagingThreads#PROPERTY} cap, OpenCV's {@code setNumThreads}, ImageJ's
 * {@code Prefs.setThreads} and JTransforms' thread count all at 1) or {@code all} (every core for each). Deflate
 * has no threads of its own: it runs on one thread in both. Every parameter set runs in a fresh fork, so these
 * process-wide settings never leak from one set into another.
 */
final class EqualThreads {

    private EqualThreads() {
    }

    static void set(String threads) {
        nu.pattern.OpenCV.loadLocally();
        int cores = Runtime.getRuntime().availableProcessors();
        int count = switch (threads) {
            case "1" -> 1;
            case "all" -> cores;
            default -> throw new IllegalArgumentException("threads is 1 or all, not " + threads);
        };
        if (count == 1) {
            System.setProperty(ImagingThreads.PROPERTY, "1");
        } else {
            System.clearProperty(ImagingThreads.PROPERTY);
        }
        Core.setNumThreads(count);
        Prefs.setThreads(count);
        ConcurrencyUtils.setNumberOfThreads(count);
        // A setting that did not take would make the comparison unfair without a sign: fail the run instead.
        if (ImagingThreads.available() != Math.min(count, ForkJoinPool.getCommonPoolParallelism() + 1)
                || Core.getNumThreads() != count || Prefs.getThreads() != count) {
            throw new IllegalStateException("threads not set to " + count + ": Panacea " + ImagingThreads.available()
                    + ", OpenCV " + Core.getNumThreads() + ", ImageJ " + Prefs.getThreads());
        }
    }
}
