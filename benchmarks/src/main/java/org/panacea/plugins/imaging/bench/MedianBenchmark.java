package org.panacea.plugins.imaging.bench;

import java.util.Map;
import java.util.concurrent.TimeUnit;

import org.opencv.core.Mat;
import org.opencv.imgproc.Imgproc;
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
import org.panacea.api.plugin.Parameters;
import org.panacea.plugins.imaging.filters.MedianFilter;

import ij.plugin.filter.RankFilters;
import ij.process.ImageProcessor;
import ij.process.ShortProcessor;

/**
 * Median of a 16-bit CT-like slice, radius 1 (3x3) and 2 (5x5), 16-bit out: Panacea against ImageJ 1.54p
 * (RankFilters on a copy; its radius 2 kernel is the 21-pixel disc, not the 5x5 square) and OpenCV 4.9 (medianBlur
 * on 16-bit, ksize 3 and 5) in the same run.
 * <p>
 * Run: {@code java -jar benchmarks/target/benchmarks.jar MedianBenchmark}
 */
// As the distribution starts the JVM: the plugins' pixel loops use the Vector API where they have one.
@Fork(value = 1, jvmArgsAppend = "--add-modules=jdk.incubator.vector")
@State(Scope.Benchmark)
@BenchmarkMode(Mode.AverageTime)
@OutputTimeUnit(TimeUnit.MILLISECONDS)
public class MedianBenchmark {

    @Param({ "512", "2048" })
    int size;

    /** 1: Panacea and every peer on one thread; all: every core for each (see EqualThreads). */
    @Param({ "1", "all" })
    String threads;

    @Param({ "1", "2" })
    int radius;

    private final MedianFilter panacea = new MedianFilter();
    private final RankFilters imagej = new RankFilters();
    private Parameters parameters;
    private Image image;
    private ShortProcessor imagejImage;
    private Mat stored;
    private Mat out;

    @Setup
    public void setUp() {
        EqualThreads.set(threads);
        nu.pattern.OpenCV.loadLocally();
        parameters = new Parameters(Map.of("radius", radius));
        image = CtSlices.ct(size);
        imagejImage = CtSlices.imagej(image);
        stored = CtSlices.mat(image);
        out = new Mat();
    }

    @Benchmark
    public AlgorithmResult panacea() throws AlgorithmException {
        return panacea.apply(image, parameters);
    }

    @Benchmark
    public ImageProcessor imagej() {
        ImageProcessor copy = imagejImage.duplicate();
        imagej.rank(copy, radius, RankFilters.MEDIAN);
        return copy;
    }

    @Benchmark
    public Mat opencv() {
        Imgproc.medianBlur(stored, out, 2 * radius + 1);
        return out;
    }
}
