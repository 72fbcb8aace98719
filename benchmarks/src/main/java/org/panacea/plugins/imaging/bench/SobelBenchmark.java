package org.panacea.plugins.imaging.bench;

import java.util.Map;
import java.util.concurrent.TimeUnit;

import org.opencv.core.Core;
import org.opencv.core.CvType;
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
import org.panacea.plugins.imaging.filters.SobelGradient;

import ij.process.FloatProcessor;
import ij.process.ImageProcessor;
import ij.process.ShortProcessor;

/**
 * Sobel gradient magnitude of a 16-bit CT-like slice into 32-bit reals: Panacea against ImageJ 1.54p (convert to
 * float, Find Edges) and OpenCV 4.9 (Sobel dx and dy from 16-bit to float, magnitude) in the same run.
 * <p>
 * Run: {@code java -jar benchmarks/target/benchmarks.jar SobelBenchmark}
 */
// As the distribution starts the JVM: the plugins' pixel loops use the Vector API where they have one.
@Fork(value = 1, jvmArgsAppend = "--add-modules=jdk.incubator.vector")
@State(Scope.Benchmark)
@BenchmarkMode(Mode.AverageTime)
@OutputTimeUnit(TimeUnit.MILLISECONDS)
public class SobelBenchmark {

    @Param({ "512", "2048" })
    int size;

    /** 1: Panacea and every peer on one thread; all: every core for each (see EqualThreads). */
    @Param({ "1", "all" })
    String threads;

    private final SobelGradient panacea = new SobelGradient();
    private final Parameters parameters = new Parameters(Map.of("border", "reflect101"));
    private Image image;
    private ShortProcessor imagejImage;
    private Mat stored;
    private Mat dx;
    private Mat dy;
    private Mat magnitude;

    @Setup
    public void setUp() {
        EqualThreads.set(threads);
        nu.pattern.OpenCV.loadLocally();
        image = CtSlices.ct(size);
        imagejImage = CtSlices.imagej(image);
        stored = CtSlices.mat(image);
        dx = new Mat();
        dy = new Mat();
        magnitude = new Mat();
    }

    @Benchmark
    public AlgorithmResult panacea() throws AlgorithmException {
        return panacea.apply(image, parameters);
    }

    @Benchmark
    public FloatProcessor imagej() {
        FloatProcessor real = imagejImage.convertToFloatProcessor();
        real.filter(ImageProcessor.FIND_EDGES);
        return real;
    }

    @Benchmark
    public Mat opencv() {
        Imgproc.Sobel(stored, dx, CvType.CV_32F, 1, 0, 3, 1, 0, Core.BORDER_REFLECT_101);
        Imgproc.Sobel(stored, dy, CvType.CV_32F, 0, 1, 3, 1, 0, Core.BORDER_REFLECT_101);
        Core.magnitude(dx, dy, magnitude);
        return magnitude;
    }
}
