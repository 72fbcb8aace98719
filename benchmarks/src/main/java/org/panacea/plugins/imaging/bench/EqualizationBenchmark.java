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
import org.panacea.plugins.imaging.enhancement.HistogramEqualization;

import ij.plugin.ContrastEnhancer;
import ij.process.ImageProcessor;
import ij.process.ShortProcessor;

/**
 * Histogram equalisation of a 16-bit CT-like slice (exact histogram, 16-bit out): Panacea against ImageJ 1.54p
 * (ContrastEnhancer.equalize on a copy); and of its 8-bit display image: Panacea against OpenCV 4.9 (equalizeHist,
 * 8-bit only) in the same run.
 * <p>
 * Run: {@code java -jar benchmarks/target/benchmarks.jar EqualizationBenchmark}
 */
// As the distribution starts the JVM: the plugins' pixel loops use the Vector API where they have one.
@Fork(value = 1, jvmArgsAppend = "--add-modules=jdk.incubator.vector")
@State(Scope.Benchmark)
@BenchmarkMode(Mode.AverageTime)
@OutputTimeUnit(TimeUnit.MILLISECONDS)
public class EqualizationBenchmark {

    @Param({ "512", "2048" })
    int size;

    /** 1: Panacea and every peer on one thread; all: every core for each (see EqualThreads). */
    @Param({ "1", "all" })
    String threads;

    private final HistogramEqualization panacea = new HistogramEqualization();
    private final Parameters image16 = new Parameters(Map.of("range", "image"));
    private final Parameters type8 = new Parameters(Map.of("range", "type"));
    private final ContrastEnhancer imagej = new ContrastEnhancer();
    private Image image;
    private Image display;
    private ShortProcessor imagejImage;
    private Mat display8;
    private Mat out;

    @Setup
    public void setUp() {
        EqualThreads.set(threads);
        nu.pattern.OpenCV.loadLocally();
        image = CtSlices.ct(size);
        display = CtSlices.display8(image);
        imagejImage = CtSlices.imagej(image);
        display8 = CtSlices.mat(display);
        out = new Mat();
    }

    @Benchmark
    public AlgorithmResult panacea() throws AlgorithmException {
        return panacea.apply(image, image16);
    }

    @Benchmark
    public ImageProcessor imagej() {
        ImageProcessor copy = imagejImage.duplicate();
        imagej.equalize(copy);
        return copy;
    }

    @Benchmark
    public AlgorithmResult panacea8bit() throws AlgorithmException {
        return panacea.apply(display, type8);
    }

    @Benchmark
    public Mat opencv8bit() {
        Imgproc.equalizeHist(display8, out);
        return out;
    }
}
