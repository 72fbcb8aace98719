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
import org.panacea.plugins.imaging.filters.UnsharpMask;

import ij.process.FloatProcessor;
import ij.process.ShortProcessor;

/**
 * Unsharp mask (sigma 2, amount 1.5 = ImageJ weight 0.6) of a 16-bit CT-like slice into 32-bit reals: Panacea
 * against ImageJ 1.54p (convert to float, sharpenFloat, whose Gaussian is truncated at 1%) and OpenCV 4.9 (convert,
 * GaussianBlur 17x17, addWeighted) in the same run.
 * <p>
 * Run: {@code java -jar benchmarks/target/benchmarks.jar UnsharpMaskBenchmark}
 */
// As the distribution starts the JVM: the plugins' pixel loops use the Vector API where they have one.
@Fork(value = 1, jvmArgsAppend = "--add-modules=jdk.incubator.vector")
@State(Scope.Benchmark)
@BenchmarkMode(Mode.AverageTime)
@OutputTimeUnit(TimeUnit.MILLISECONDS)
public class UnsharpMaskBenchmark {

    @Param({ "512", "2048" })
    int size;

    /** 1: Panacea and every peer on one thread; all: every core for each (see EqualThreads). */
    @Param({ "1", "all" })
    String threads;

    private final UnsharpMask panacea = new UnsharpMask();
    private final Parameters parameters = new Parameters(Map.of("sigma", 2.0, "amount", 1.5,
            "border", "reflect101"));
    private final ij.plugin.filter.UnsharpMask imagej = new ij.plugin.filter.UnsharpMask();
    private final Size kernel = new Size(17, 17);
    private Image image;
    private ShortProcessor imagejImage;
    private Mat stored;
    private Mat real;
    private Mat blurred;
    private Mat out;

    @Setup
    public void setUp() {
        EqualThreads.set(threads);
        nu.pattern.OpenCV.loadLocally();
        image = CtSlices.ct(size);
        imagejImage = CtSlices.imagej(image);
        stored = CtSlices.mat(image);
        real = new Mat();
        blurred = new Mat();
        out = new Mat();
    }

    @Benchmark
    public AlgorithmResult panacea() throws AlgorithmException {
        return panacea.apply(image, parameters);
    }

    @Benchmark
    public FloatProcessor imagej() {
        FloatProcessor real = imagejImage.convertToFloatProcessor();
        real.snapshot();
        imagej.sharpenFloat(real, 2, 0.6f);
        return real;
    }

    @Benchmark
    public Mat opencv() {
        stored.convertTo(real, CvType.CV_32F);
        Imgproc.GaussianBlur(real, blurred, kernel, 2, 2, Core.BORDER_REFLECT_101);
        Core.addWeighted(real, 2.5, blurred, -1.5, 0, out);
        return out;
    }
}
