package org.panacea.plugins.imaging.bench;

import java.util.concurrent.TimeUnit;

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
import org.panacea.plugins.imaging.filters.OtsuThreshold;
import org.panacea.plugins.support.pixels.PixelLoops;

import ij.process.AutoThresholder;
import ij.process.ImageProcessor;
import ij.process.ShortProcessor;

/**
 * Otsu threshold of a 16-bit CT-like slice into a mask: Panacea (exact integer histogram, 8-bit mask, counts)
 * against ImageJ 1.54p (setAutoThreshold Otsu on its 256-bin histogram, createMask) and OpenCV 4.9 (threshold with
 * THRESH_OTSU on 16-bit unsigned, exact 65536-bin histogram, 16-bit mask) in the same run; also Panacea and OpenCV
 * on the 8-bit display image. {@code loops} runs the plugin's mask on the Vector API (as the distribution starts)
 * or on plain Java.
 * <p>
 * Run: {@code java -jar benchmarks/target/benchmarks.jar OtsuBenchmark}
 */
@Fork(value = 1, jvmArgsAppend = "--add-modules=jdk.incubator.vector")
@State(Scope.Benchmark)
@BenchmarkMode(Mode.AverageTime)
@OutputTimeUnit(TimeUnit.MILLISECONDS)
public class OtsuBenchmark {

    @Param({ "512", "2048" })
    int size;

    /** 1: Panacea and every peer on one thread; all: every core for each (see EqualThreads). */
    @Param({ "1", "all" })
    String threads;

    @Param({ "vector", "scalar" })
    String loops;

    private final OtsuThreshold panacea = new OtsuThreshold();
    private Image image;
    private Image display;
    private ShortProcessor imagejImage;
    private Mat stored;
    private Mat display8;
    private Mat mask;

    @Setup
    public void setUp() {
        EqualThreads.set(threads);
        System.setProperty(PixelLoops.SCALAR_PROPERTY, Boolean.toString("scalar".equals(loops)));
        nu.pattern.OpenCV.loadLocally();
        image = CtSlices.ct(size);
        display = CtSlices.display8(image);
        imagejImage = CtSlices.imagej(image);
        stored = new Mat();
        CtSlices.mat(image).convertTo(stored, CvType.CV_16U);
        display8 = CtSlices.mat(display);
        mask = new Mat();
    }

    @Benchmark
    public AlgorithmResult panacea() throws AlgorithmException {
        return panacea.apply(image, Parameters.none());
    }

    @Benchmark
    public ImageProcessor imagej() {
        imagejImage.setAutoThreshold(AutoThresholder.Method.Otsu, true, ImageProcessor.NO_LUT_UPDATE);
        return imagejImage.createMask();
    }

    @Benchmark
    public Mat opencv() {
        Imgproc.threshold(stored, mask, 0, 65535, Imgproc.THRESH_BINARY | Imgproc.THRESH_OTSU);
        return mask;
    }

    @Benchmark
    public AlgorithmResult panacea8bit() throws AlgorithmException {
        return panacea.apply(display, Parameters.none());
    }

    @Benchmark
    public Mat opencv8bit() {
        Imgproc.threshold(display8, mask, 0, 255, Imgproc.THRESH_BINARY | Imgproc.THRESH_OTSU);
        return mask;
    }
}
