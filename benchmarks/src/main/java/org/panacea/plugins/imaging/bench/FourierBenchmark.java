package org.panacea.plugins.imaging.bench;

import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;

import org.jtransforms.fft.DoubleFFT_2D;
import org.opencv.core.Core;
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
import org.panacea.api.imaging.Pixels;
import org.panacea.api.plugin.Parameters;
import org.panacea.plugins.imaging.frequency.FourierSpectrum;

import ij.process.FHT;
import ij.process.FloatProcessor;
import ij.process.ImageProcessor;

/**
 * 2-D Fourier magnitude of a 16-bit slice: Panacea's spectrum plugin (JTransforms inside, with the copy in, the
 * magnitude and the float image out) against raw JTransforms {@code realForwardFull} plus the same magnitude loop
 * and OpenCV 4.9's {@code dft} + {@code magnitude} (double precision) and ImageJ 1.54p's Hartley transform with its
 * 8-bit power spectrum (float precision; sizes that are not a power of two padded to the next one, as ImageJ's FFT
 * command does) in the same run.
 * <p>
 * Run: {@code java -jar benchmarks/target/benchmarks.jar FourierBenchmark}
 */
// As the distribution starts the JVM: the plugins' pixel loops use the Vector API where they have one.
@Fork(value = 1, jvmArgsAppend = "--add-modules=jdk.incubator.vector")
@State(Scope.Benchmark)
@BenchmarkMode(Mode.AverageTime)
@OutputTimeUnit(TimeUnit.MILLISECONDS)
public class FourierBenchmark {

    @Param({ "512", "1000", "2048" })
    int size;

    /** 1: Panacea and every peer on one thread; all: every core for each (see EqualThreads). */
    @Param({ "1", "all" })
    String threads;

    private Image image;
    private final FourierSpectrum spectrum = new FourierSpectrum();
    private final Parameters linear = new Parameters(Map.of("centred", false, "scale", "linear"));
    private double[] samples;
    private Mat opencvImage;
    private float[] imagejSamples;
    private int imagejSize;

    @Setup
    public void setUp() {
        EqualThreads.set(threads);
        nu.pattern.OpenCV.loadLocally();
        image = SyntheticSlice.ct(size);
        Pixels pixels = image.pixels();
        samples = new double[size * size];
        for (int i = 0; i < samples.length; i++) {
            samples[i] = pixels.sample(i);
        }
        opencvImage = new Mat(size, size, CvType.CV_64F);
        opencvImage.put(0, 0, samples);
        imagejSize = Integer.highestOneBit(size) == size ? size : Integer.highestOneBit(size) << 1;
        imagejSamples = new float[imagejSize * imagejSize];
        for (int y = 0; y < size; y++) {
            for (int x = 0; x < size; x++) {
                imagejSamples[y * imagejSize + x] = (float) samples[y * size + x];
            }
        }
    }

    @Benchmark
    public ImageProcessor imagejFht() {
        FHT fht = new FHT(new FloatProcessor(imagejSize, imagejSize, imagejSamples.clone()));
        fht.transform();
        return fht.getPowerSpectrum();
    }

    @Benchmark
    public AlgorithmResult panacea() throws AlgorithmException {
        return spectrum.apply(image, linear);
    }

    @Benchmark
    public float[] jtransformsRaw() {
        double[] data = new double[2 * samples.length];
        System.arraycopy(samples, 0, data, 0, samples.length);
        new DoubleFFT_2D(size, size).realForwardFull(data);
        float[] magnitude = new float[samples.length];
        for (int i = 0; i < magnitude.length; i++) {
            magnitude[i] = (float) Math.sqrt(data[2 * i] * data[2 * i] + data[2 * i + 1] * data[2 * i + 1]);
        }
        return magnitude;
    }

    @Benchmark
    public Mat opencvDft() {
        Mat complex = new Mat();
        Core.dft(opencvImage, complex, Core.DFT_COMPLEX_OUTPUT);
        List<Mat> planes = new ArrayList<>(2);
        Core.split(complex, planes);
        Mat magnitude = new Mat();
        Core.magnitude(planes.get(0), planes.get(1), magnitude);
        complex.release();
        planes.forEach(Mat::release);
        return magnitude;
    }
}
