package org.panacea.plugins.imaging.bench;

import java.util.Map;
import java.util.concurrent.TimeUnit;

import org.opencv.core.Core;
import org.opencv.core.CvType;
import org.opencv.core.Mat;
import org.opencv.core.Scalar;
import org.openjdk.jmh.annotations.Benchmark;
import org.openjdk.jmh.annotations.BenchmarkMode;
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
import org.panacea.plugins.imaging.segmentation.FixedThreshold;

/**
 * Fixed threshold (-100..100 HU) of a 2048 x 2048 16-bit slice into an 8-bit mask: Panacea's plugin (rescale to HU,
 * mask, count, area and mean) against OpenCV 4.9's inRange on the stored values (mask only) in the same run.
 * <p>
 * Run: {@code java -jar benchmarks/target/benchmarks.jar ThresholdBenchmark}
 */
@State(Scope.Benchmark)
@BenchmarkMode(Mode.AverageTime)
@OutputTimeUnit(TimeUnit.MILLISECONDS)
public class ThresholdBenchmark {

    @Param({ "2048" })
    int size;

    private Image image;
    private final FixedThreshold threshold = new FixedThreshold();
    private final Parameters window = new Parameters(Map.of("lower", -100.0, "upper", 100.0));
    private Mat opencvImage;
    private Mat opencvMask;

    @Setup
    public void setUp() {
        nu.pattern.OpenCV.loadLocally();
        image = SyntheticSlice.ct(size);
        opencvImage = new Mat(size, size, CvType.CV_16S);
        opencvImage.put(0, 0, SyntheticSlice.stored(image));
        opencvMask = new Mat();
    }

    @Benchmark
    public AlgorithmResult panacea() throws AlgorithmException {
        return threshold.apply(image, window);
    }

    @Benchmark
    public Mat opencvInRange() {
        Core.inRange(opencvImage, new Scalar(-100 + 1024), new Scalar(100 + 1024), opencvMask);
        return opencvMask;
    }
}
