package org.panacea.plugins.imaging.bench;

import java.util.Map;
import java.util.concurrent.TimeUnit;

import org.opencv.core.Core;
import org.opencv.core.CvType;
import org.opencv.core.Mat;
import org.opencv.core.Point;
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
import org.panacea.plugins.imaging.filters.LaplacianFilter;

import ij.process.FloatProcessor;
import ij.process.ShortProcessor;

/**
 * 3x3 Laplacian (4 and 8 neighbours) of a 16-bit CT-like slice into 32-bit reals: Panacea against ImageJ 1.54p
 * (convert to float, convolve3x3) and OpenCV 4.9 (Laplacian ksize 1, filter2D for 8 neighbours, 16-bit to float)
 * in the same run.
 * <p>
 * Run: {@code java -jar benchmarks/target/benchmarks.jar LaplacianBenchmark}
 */
// As the distribution starts the JVM: the plugins' pixel loops use the Vector API where they have one.
@Fork(value = 1, jvmArgsAppend = "--add-modules=jdk.incubator.vector")
@State(Scope.Benchmark)
@BenchmarkMode(Mode.AverageTime)
@OutputTimeUnit(TimeUnit.MILLISECONDS)
public class LaplacianBenchmark {

    private static final int[] FOUR = { 0, 1, 0, 1, -4, 1, 0, 1, 0 };
    private static final int[] EIGHT = { 1, 1, 1, 1, -8, 1, 1, 1, 1 };

    @Param({ "512", "2048" })
    int size;

    /** 1: Panacea and every peer on one thread; all: every core for each (see EqualThreads). */
    @Param({ "1", "all" })
    String threads;

    @Param({ "4", "8" })
    String neighbours;

    private final LaplacianFilter panacea = new LaplacianFilter();
    private Parameters parameters;
    private Image image;
    private ShortProcessor imagejImage;
    private Mat stored;
    private Mat kernel;
    private Mat out;

    @Setup
    public void setUp() {
        EqualThreads.set(threads);
        nu.pattern.OpenCV.loadLocally();
        parameters = new Parameters(Map.of("neighbours", neighbours, "border", "reflect101"));
        image = CtSlices.ct(size);
        imagejImage = CtSlices.imagej(image);
        stored = CtSlices.mat(image);
        kernel = new Mat(3, 3, CvType.CV_32F);
        float[] taps = new float[9];
        int[] weights = "4".equals(neighbours) ? FOUR : EIGHT;
        for (int i = 0; i < 9; i++) {
            taps[i] = weights[i];
        }
        kernel.put(0, 0, taps);
        out = new Mat();
    }

    @Benchmark
    public AlgorithmResult panacea() throws AlgorithmException {
        return panacea.apply(image, parameters);
    }

    @Benchmark
    public FloatProcessor imagej() {
        FloatProcessor real = imagejImage.convertToFloatProcessor();
        real.convolve3x3("4".equals(neighbours) ? FOUR : EIGHT);
        return real;
    }

    @Benchmark
    public Mat opencv() {
        if ("4".equals(neighbours)) {
            Imgproc.Laplacian(stored, out, CvType.CV_32F, 1, 1, 0, Core.BORDER_REFLECT_101);
        } else {
            Imgproc.filter2D(stored, out, CvType.CV_32F, kernel, new Point(-1, -1), 0, Core.BORDER_REFLECT_101);
        }
        return out;
    }
}
