package org.panacea.plugins.imaging.bench;

import java.util.Map;
import java.util.concurrent.TimeUnit;

import org.opencv.core.CvType;
import org.opencv.core.Mat;
import org.opencv.core.Size;
import org.opencv.imgproc.CLAHE;
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
import org.panacea.plugins.imaging.enhancement.Clahe;

/**
 * CLAHE (8 x 8 tiles, clip limit 2) of a 16-bit unsigned CT-like slice and of its 8-bit display image: Panacea
 * with OpenCV's conventions (range=type, one bin per value: the same result as OpenCV, byte for byte) against OpenCV 4.9's
 * createCLAHE().apply on 16-bit unsigned and 8-bit in the same run, plus Panacea's default (256 bins over the
 * image's range). ImageJ 1.54p has no CLAHE of its own.
 * <p>
 * Run: {@code java -jar benchmarks/target/benchmarks.jar ClaheBenchmark}
 */
// As the distribution starts the JVM: the plugins' pixel loops use the Vector API where they have one.
@Fork(value = 1, jvmArgsAppend = "--add-modules=jdk.incubator.vector")
@State(Scope.Benchmark)
@BenchmarkMode(Mode.AverageTime)
@OutputTimeUnit(TimeUnit.MILLISECONDS)
public class ClaheBenchmark {

    @Param({ "512", "2048" })
    int size;

    /** 1: Panacea and every peer on one thread; all: every core for each (see EqualThreads). */
    @Param({ "1", "all" })
    String threads;

    private final Clahe panacea = new Clahe();
    private final Parameters likeOpenCv16 = parameters(65536, "type");
    private final Parameters likeOpenCv8 = parameters(256, "type");
    private final Parameters defaults = parameters(256, "image");
    private Image image;
    private Image unsigned;
    private Image display;
    private CLAHE opencv;
    private Mat stored;
    private Mat display8;
    private Mat out;

    private static Parameters parameters(int bins, String range) {
        return new Parameters(Map.of("tiles-x", 8, "tiles-y", 8, "clip-limit", 2.0, "bins", bins, "range", range));
    }

    @Setup
    public void setUp() {
        EqualThreads.set(threads);
        nu.pattern.OpenCV.loadLocally();
        image = CtSlices.ct(size);
        unsigned = CtSlices.unsigned(image);
        display = CtSlices.display8(image);
        opencv = Imgproc.createCLAHE(2.0, new Size(8, 8));
        stored = new Mat();
        CtSlices.mat(image).convertTo(stored, CvType.CV_16U);
        display8 = CtSlices.mat(display);
        out = new Mat();
    }

    @Benchmark
    public AlgorithmResult panacea() throws AlgorithmException {
        return panacea.apply(unsigned, likeOpenCv16);
    }

    @Benchmark
    public AlgorithmResult panaceaDefault() throws AlgorithmException {
        return panacea.apply(image, defaults);
    }

    @Benchmark
    public Mat opencv() {
        opencv.apply(stored, out);
        return out;
    }

    @Benchmark
    public AlgorithmResult panacea8bit() throws AlgorithmException {
        return panacea.apply(display, likeOpenCv8);
    }

    @Benchmark
    public Mat opencv8bit() {
        opencv.apply(display8, out);
        return out;
    }
}
