package org.panacea.plugins.imaging.bench;

import java.util.Map;
import java.util.concurrent.TimeUnit;

import org.opencv.core.Core;
import org.opencv.core.CvType;
import org.opencv.core.Mat;
import org.opencv.core.Size;
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
import org.panacea.plugins.imaging.filters.GaussianBlur;

import ij.process.FloatProcessor;
import ij.process.ShortProcessor;

/**
 * Gaussian blur, sigma 2 (17 taps), of a 16-bit CT-like slice into 32-bit reals: Panacea against ImageJ 1.54p
 * (convert to float, blurGaussian at its 16-bit accuracy 0.0002) and OpenCV 4.9 (convert to float and
 * GaussianBlur 17x17; and its fastest path, 16-bit in and out) in the same run. Peers reuse their output
 * buffers where their API allows; Panacea makes a new image each call.
 * <p>
 * Run: {@code java -jar benchmarks/target/benchmarks.jar GaussianBenchmark}
 */
// As the distribution starts the JVM: the plugins' pixel loops use the Vector API where they have one.
@Fork(value = 1, jvmArgsAppend = "--add-modules=jdk.incubator.vector")
@State(Scope.Benchmark)
@BenchmarkMode(Mode.AverageTime)
@OutputTimeUnit(TimeUnit.MILLISECONDS)
public class GaussianBenchmark {

    @Param({ "512", "2048" })
    int size;

    /** 1: Panacea and every peer on one thread; all: every core for each (see EqualThreads). */
    @Param({ "1", "all" })
    String threads;

    private final GaussianBlur panacea = new GaussianBlur();
    private final Parameters parameters = new Parameters(Map.of("sigma", 2.0, "border", "reflect101"));
    private final ij.plugin.filter.GaussianBlur imagej = new ij.plugin.filter.GaussianBlur();
    private final Size kernel = new Size(17, 17);
    private Image image;
    private ShortProcessor imagejImage;
    private Mat stored;
    private Mat real;
    private Mat out;
    private Mat out16;

    @Setup
    public void setUp() {
        EqualThreads.set(threads);
        nu.pattern.OpenCV.loadLocally();
        image = CtSlices.ct(size);
        imagejImage = CtSlices.imagej(image);
        stored = CtSlices.mat(image);
        real = new Mat();
        out = new Mat();
        out16 = new Mat();
    }

    @Benchmark
    public AlgorithmResult panacea() throws AlgorithmException {
        return panacea.apply(image, parameters);
    }

    @Benchmark
    public FloatProcessor imagej() {
        FloatProcessor real = imagejImage.convertToFloatProcessor();
        imagej.blurGaussian(real, 2, 2, 0.0002);
        return real;
    }

    @Benchmark
    public Mat opencvFloat() {
        stored.convertTo(real, CvType.CV_32F);
        Imgproc.GaussianBlur(real, out, kernel, 2, 2, Core.BORDER_REFLECT_101);
        return out;
    }

    @Benchmark
    public Mat opencv16bit() {
        Imgproc.GaussianBlur(stored, out16, kernel, 2, 2, Core.BORDER_REFLECT_101);
        return out16;
    }
}
