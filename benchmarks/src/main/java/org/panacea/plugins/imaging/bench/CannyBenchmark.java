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
import org.panacea.plugins.imaging.filters.CannyEdges;

/**
 * Canny edges (sigma 1, thresholds 150/400 in Sobel units) of a 16-bit CT-like slice: Panacea against OpenCV 4.9
 * doing the same work (float Gaussian 9x9 and Sobel, derivatives to 16-bit, Canny on them with L2 gradient) and
 * OpenCV's fastest path (its own 8-bit Canny on the 8-bit display image, after an 8-bit Gaussian). ImageJ 1.54p
 * has no Canny.
 * <p>
 * Run: {@code java -jar benchmarks/target/benchmarks.jar CannyBenchmark}
 */
// As the distribution starts the JVM: the plugins' pixel loops use the Vector API where they have one.
@Fork(value = 1, jvmArgsAppend = "--add-modules=jdk.incubator.vector")
@State(Scope.Benchmark)
@BenchmarkMode(Mode.AverageTime)
@OutputTimeUnit(TimeUnit.MILLISECONDS)
public class CannyBenchmark {

    @Param({ "512", "2048" })
    int size;

    /** 1: Panacea and every peer on one thread; all: every core for each (see EqualThreads). */
    @Param({ "1", "all" })
    String threads;

    private final CannyEdges panacea = new CannyEdges();
    private final Parameters parameters = new Parameters(Map.of("sigma", 1.0, "low", 150.0, "high", 400.0,
            "border", "reflect101"));
    private final Size kernel = new Size(9, 9);
    private Image image;
    private Mat stored;
    private Mat display;
    private Mat real;
    private Mat blurred;
    private Mat dx;
    private Mat dy;
    private Mat dx16;
    private Mat dy16;
    private Mat blurred8;
    private Mat edges;

    @Setup
    public void setUp() {
        EqualThreads.set(threads);
        nu.pattern.OpenCV.loadLocally();
        image = CtSlices.ct(size);
        stored = CtSlices.mat(image);
        display = CtSlices.mat(CtSlices.display8(image));
        real = new Mat();
        blurred = new Mat();
        dx = new Mat();
        dy = new Mat();
        dx16 = new Mat();
        dy16 = new Mat();
        blurred8 = new Mat();
        edges = new Mat();
    }

    @Benchmark
    public AlgorithmResult panacea() throws AlgorithmException {
        return panacea.apply(image, parameters);
    }

    @Benchmark
    public Mat opencvSameWork() {
        stored.convertTo(real, CvType.CV_32F);
        Imgproc.GaussianBlur(real, blurred, kernel, 1, 1, Core.BORDER_REFLECT_101);
        Imgproc.Sobel(blurred, dx, CvType.CV_32F, 1, 0, 3, 1, 0, Core.BORDER_REFLECT_101);
        Imgproc.Sobel(blurred, dy, CvType.CV_32F, 0, 1, 3, 1, 0, Core.BORDER_REFLECT_101);
        dx.convertTo(dx16, CvType.CV_16S);
        dy.convertTo(dy16, CvType.CV_16S);
        Imgproc.Canny(dx16, dy16, edges, 150, 400, true);
        return edges;
    }

    @Benchmark
    public Mat opencv8bit() {
        Imgproc.GaussianBlur(display, blurred8, kernel, 1, 1, Core.BORDER_REFLECT_101);
        Imgproc.Canny(blurred8, edges, 50, 150, 3, true);
        return edges;
    }
}
