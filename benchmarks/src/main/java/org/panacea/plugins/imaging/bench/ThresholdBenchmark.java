package org.panacea.plugins.imaging.bench;

import java.util.Map;
import java.util.concurrent.TimeUnit;
import java.util.stream.IntStream;

import org.opencv.core.Core;
import org.opencv.core.CvType;
import org.opencv.core.Mat;
import org.opencv.core.Scalar;
import org.openjdk.jmh.annotations.Benchmark;
import org.openjdk.jmh.annotations.BenchmarkMode;
import org.openjdk.jmh.annotations.Fork;
import org.openjdk.jmh.annotations.Mode;
import org.openjdk.jmh.annotations.OutputTimeUnit;
import org.openjdk.jmh.annotations.Param;
import org.openjdk.jmh.annotations.Scope;
import org.openjdk.jmh.annotations.Setup;
import org.openjdk.jmh.annotations.State;
import org.panacea.api.imaging.AlgorithmException;
import org.panacea.api.imaging.AlgorithmResult;
import org.panacea.api.imaging.Image;
import org.panacea.api.imaging.Pixels;
import org.panacea.api.plugin.Parameters;
import org.panacea.plugins.imaging.segmentation.FixedThreshold;
import org.panacea.plugins.support.pixels.PixelLoops;
import org.panacea.plugins.support.threads.ImagingThreads;

import ij.measure.Measurements;
import ij.process.ImageProcessor;
import ij.process.ImageStatistics;
import ij.process.ShortProcessor;

/**
 * Fixed threshold (-100..100 HU) of a 16-bit CT-like slice into an 8-bit mask: Panacea's plugin (mask, foreground
 * count, area and mean HU) against OpenCV 4.9 and ImageJ 1.54p in the same run, each doing the same work (OpenCV:
 * {@code inRange} for the mask, {@code countNonZero} and {@code mean} under the mask; ImageJ: {@code setThreshold},
 * {@code createMask} and the limited statistics) and each peer's mask alone, against which Panacea's mask loop
 * runs alone too ({@link #panaceaMask}: the plugin's loop into a reused buffer, as OpenCV's {@code inRange}).
 * {@code loops} runs the plugin
 * on the Vector API (as the distribution starts) or on its plain Java loops.
 * <p>
 * Run: {@code java -jar benchmarks/target/benchmarks.jar ThresholdBenchmark}
 */
@Fork(value = 1, jvmArgsAppend = "--add-modules=jdk.incubator.vector")
@State(Scope.Benchmark)
@BenchmarkMode(Mode.AverageTime)
@OutputTimeUnit(TimeUnit.MILLISECONDS)
public class ThresholdBenchmark {

    @Param({ "512", "2048" })
    int size;

    /** 1: Panacea and every peer on one thread; all: every core for each (see EqualThreads). */
    @Param({ "1", "all" })
    String threads;

    @Param({ "vector", "scalar" })
    String loops;

    private Image image;
    private final FixedThreshold threshold = new FixedThreshold();
    private final Parameters window = new Parameters(Map.of("lower", -100.0, "upper", 100.0));
    private Mat opencvImage;
    private ShortProcessor imagejImage;
    private Mat opencvMask;
    private short[] samples;
    private boolean signed;
    private byte[] panaceaMask;

    @Setup
    public void setUp() {
        EqualThreads.set(threads);
        // Read once when the plugin first masks, which is after this (every parameter set runs in a fresh fork).
        System.setProperty(PixelLoops.SCALAR_PROPERTY, Boolean.toString("scalar".equals(loops)));
        nu.pattern.OpenCV.loadLocally();
        image = CtSlices.ct(size);
        opencvImage = CtSlices.mat(image);
        opencvMask = new Mat();
        imagejImage = CtSlices.imagej(image);
        Pixels.Gray16 gray = (Pixels.Gray16) image.pixels();
        samples = gray.values();
        signed = gray.signed();
        panaceaMask = new byte[samples.length];
    }

    @Benchmark
    public AlgorithmResult panacea() throws AlgorithmException {
        return threshold.apply(image, window);
    }

    /**
     * Panacea's mask alone, as the plugin computes it (the same loop, on the same chunks over the same threads) but
     * into a buffer it reuses, as {@code inRange} does: the loop also counts and sums the foreground, which it
     * cannot leave out, so this is at least the peers' mask work.
     */
    @Benchmark
    public byte[] panaceaMask() {
        int n = samples.length;
        int chunks = n >= 1 << 20 && ImagingThreads.parallel() ? 2 * ImagingThreads.available() : 1;
        IntStream indices = IntStream.range(0, chunks);
        (chunks > 1 ? indices.parallel() : indices).forEach(c -> PixelLoops.window(samples, signed,
                -100 + 1024, 100 + 1024, panaceaMask, (int) ((long) n * c / chunks),
                (int) ((long) n * (c + 1) / chunks)));
        return panaceaMask;
    }

    @Benchmark
    public Mat opencvInRange() {
        Core.inRange(opencvImage, LOWER_STORED, UPPER_STORED, opencvMask);
        return opencvMask;
    }

    /** The plugin's work in OpenCV: mask, foreground count and mean stored value under the mask. */
    @Benchmark
    public double opencvInRangeCountMean() {
        Core.inRange(opencvImage, LOWER_STORED, UPPER_STORED, opencvMask);
        int count = Core.countNonZero(opencvMask);
        return count + Core.mean(opencvImage, opencvMask).val[0];
    }

    @Benchmark
    public ImageProcessor imagejMask() {
        imagejImage.setThreshold(-100 + 1024, 100 + 1024, ImageProcessor.NO_LUT_UPDATE);
        return imagejImage.createMask();
    }

    /** The plugin's work in ImageJ: mask, and area and mean limited to the threshold. */
    @Benchmark
    public double imagejMaskAreaMean() {
        imagejImage.setThreshold(-100 + 1024, 100 + 1024, ImageProcessor.NO_LUT_UPDATE);
        ImageProcessor mask = imagejImage.createMask();
        ImageStatistics statistics = ImageStatistics.getStatistics(imagejImage,
                Measurements.AREA | Measurements.MEAN | Measurements.LIMIT, null);
        return mask.getPixelCount() + statistics.pixelCount + statistics.mean;
    }

    private static final Scalar LOWER_STORED = new Scalar(-100 + 1024);
    private static final Scalar UPPER_STORED = new Scalar(100 + 1024);
}
