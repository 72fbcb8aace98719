package org.panacea.plugins.imaging.bench;

import java.util.Map;
import java.util.concurrent.TimeUnit;

import org.opencv.core.Core;
import org.opencv.core.CvType;
import org.opencv.core.Mat;
import org.opencv.core.Scalar;
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
import org.panacea.plugins.imaging.segmentation.ConnectedComponents;

import ij.ImagePlus;
import ij.measure.Calibration;
import ij.measure.Measurements;
import ij.measure.ResultsTable;
import ij.plugin.filter.ParticleAnalyzer;
import ij.process.ImageProcessor;
import ij.process.ShortProcessor;

/**
 * Connected components of a threshold mask (150..3000 HU, 8-connected) with per-region area, mean, bounding box and
 * centroid, on a 2048 x 2048 CT-like slice: Panacea's plugin (threshold + labels + statistics + label image)
 * against ImageJ 1.54p's particle analyser (same measurements) and OpenCV 4.9's inRange +
 * connectedComponentsWithStats (no mean value) in the same run.
 * <p>
 * Run: {@code java -jar benchmarks/target/benchmarks.jar ConnectedComponentsBenchmark}
 */
// As the distribution starts the JVM: the plugins' pixel loops use the Vector API where they have one.
@Fork(value = 1, jvmArgsAppend = "--add-modules=jdk.incubator.vector")
@State(Scope.Benchmark)
@BenchmarkMode(Mode.AverageTime)
@OutputTimeUnit(TimeUnit.MILLISECONDS)
public class ConnectedComponentsBenchmark {

    @Param({ "512", "2048" })
    int size;

    /** 1: Panacea and every peer on one thread; all: every core for each (see EqualThreads). */
    @Param({ "1", "all" })
    String threads;

    private Image image;
    private final ConnectedComponents components = new ConnectedComponents();
    private final Parameters parameters = new Parameters(Map.of("lower", 150.0, "upper", 3000.0,
            "connectivity", "8", "min_pixels", 1));
    private ImagePlus imagePlus;
    private Mat opencvImage;

    @Setup
    public void setUp() {
        EqualThreads.set(threads);
        System.setProperty("java.awt.headless", "true");
        nu.pattern.OpenCV.loadLocally();
        image = SyntheticSlice.ct(size);
        short[] stored = SyntheticSlice.stored(image);
        ShortProcessor processor = new ShortProcessor(size, size, stored.clone(), null);
        imagePlus = new ImagePlus("slice", processor);
        Calibration calibration = imagePlus.getCalibration();
        calibration.pixelWidth = SyntheticSlice.SPACING;
        calibration.pixelHeight = SyntheticSlice.SPACING;
        calibration.setFunction(Calibration.STRAIGHT_LINE, new double[] { -1024, 1 }, "HU");
        opencvImage = new Mat(size, size, CvType.CV_16S);
        opencvImage.put(0, 0, stored);
    }

    @Benchmark
    public AlgorithmResult panacea() throws AlgorithmException {
        return components.apply(image, parameters);
    }

    @Benchmark
    public ResultsTable imagejParticleAnalyzer() {
        imagePlus.getProcessor().setThreshold(150 + 1024, 3000 + 1024, ImageProcessor.NO_LUT_UPDATE);
        ResultsTable table = new ResultsTable();
        ParticleAnalyzer analyzer = new ParticleAnalyzer(ParticleAnalyzer.SHOW_NONE,
                Measurements.AREA | Measurements.MEAN | Measurements.RECT | Measurements.CENTROID, table, 0,
                Double.POSITIVE_INFINITY);
        analyzer.setHideOutputImage(true);
        analyzer.analyze(imagePlus, imagePlus.getProcessor());
        return table;
    }

    @Benchmark
    public int opencvConnectedComponentsWithStats() {
        Mat mask = new Mat();
        Core.inRange(opencvImage, new Scalar(150 + 1024), new Scalar(3000 + 1024), mask);
        Mat labels = new Mat();
        Mat stats = new Mat();
        Mat centroids = new Mat();
        int count = Imgproc.connectedComponentsWithStats(mask, labels, stats, centroids, 8, CvType.CV_32S);
        mask.release();
        labels.release();
        stats.release();
        centroids.release();
        return count;
    }
}
