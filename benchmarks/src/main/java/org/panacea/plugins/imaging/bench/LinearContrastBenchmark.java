package org.panacea.plugins.imaging.bench;

import java.util.Map;
import java.util.concurrent.TimeUnit;

import org.opencv.core.CvType;
import org.opencv.core.Mat;
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
import org.panacea.plugins.imaging.enhancement.LinearContrast;

import ij.process.ImageProcessor;
import ij.process.ShortProcessor;

/**
 * Linear contrast (gain 1.5, bias -500, saturated) of a 16-bit CT-like slice, 16-bit out: Panacea against ImageJ
 * 1.54p (multiply and add on a copy, each rounding and clamping) and OpenCV 4.9 (convertTo with alpha and beta) in
 * the same run.
 * <p>
 * Run: {@code java -jar benchmarks/target/benchmarks.jar LinearContrastBenchmark}
 */
// As the distribution starts the JVM: the plugins' pixel loops use the Vector API where they have one.
@Fork(value = 1, jvmArgsAppend = "--add-modules=jdk.incubator.vector")
@State(Scope.Benchmark)
@BenchmarkMode(Mode.AverageTime)
@OutputTimeUnit(TimeUnit.MILLISECONDS)
public class LinearContrastBenchmark {

    @Param({ "512", "2048" })
    int size;

    /** 1: Panacea and every peer on one thread; all: every core for each (see EqualThreads). */
    @Param({ "1", "all" })
    String threads;

    private final LinearContrast panacea = new LinearContrast();
    private final Parameters parameters = new Parameters(Map.of("gain", 1.5, "bias", -500.0));
    private Image image;
    private ShortProcessor imagejImage;
    private Mat stored;
    private Mat out;

    @Setup
    public void setUp() {
        EqualThreads.set(threads);
        nu.pattern.OpenCV.loadLocally();
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
        copy.multiply(1.5);
        copy.add(-500);
        return copy;
    }

    @Benchmark
    public Mat opencv() {
        stored.convertTo(out, CvType.CV_16S, 1.5, -500);
        return out;
    }
}
