package org.panacea.plugins.imaging.bench;

import java.util.concurrent.TimeUnit;

import org.openjdk.jmh.annotations.Benchmark;
import org.openjdk.jmh.annotations.BenchmarkMode;
import org.openjdk.jmh.annotations.Fork;
import org.openjdk.jmh.annotations.Mode;
import org.openjdk.jmh.annotations.OutputTimeUnit;
import org.openjdk.jmh.annotations.Param;
import org.openjdk.jmh.annotations.Scope;
import org.openjdk.jmh.annotations.Setup;
import org.openjdk.jmh.annotations.State;
import org.panacea.api.imaging.Image;
import org.panacea.plugins.imaging.compression.PredictiveImageCodec;

/**
 * Lossless encode and decode of a 2048 x 2048 16-bit CT-like slice (8 MiB) with Panacea's predictive codec (stripes
 * coded in parallel), against java.util.zip's Deflater (level 6, the usual general-purpose baseline) on the same
 * bytes. No Java JPEG-LS is on Maven Central to compare with.
 * <p>
 * Run: {@code java -jar benchmarks/target/benchmarks.jar CompressionBenchmark}
 */
// As the distribution starts the JVM: the plugins' pixel loops use the Vector API where they have one.
@Fork(value = 1, jvmArgsAppend = "--add-modules=jdk.incubator.vector")
@State(Scope.Benchmark)
@BenchmarkMode(Mode.AverageTime)
@OutputTimeUnit(TimeUnit.MILLISECONDS)
public class CompressionBenchmark {

    @Param({ "512", "2048" })
    int size;

    /** 1: Panacea and every peer on one thread; all: every core for each (see EqualThreads). */
    @Param({ "1", "all" })
    String threads;

    private Image image;
    private byte[] stream;
    private byte[] littleEndian;

    @Setup
    public void setUp() {
        EqualThreads.set(threads);
        image = SyntheticSlice.ct(size);
        stream = PredictiveImageCodec.encode(image, 0);
        short[] stored = SyntheticSlice.stored(image);
        littleEndian = new byte[stored.length * 2];
        for (int i = 0; i < stored.length; i++) {
            littleEndian[2 * i] = (byte) stored[i];
            littleEndian[2 * i + 1] = (byte) (stored[i] >> 8);
        }
    }

    @Benchmark
    public byte[] panaceaEncode() {
        return PredictiveImageCodec.encode(image, 0);
    }

    @Benchmark
    public Image panaceaDecode() {
        return PredictiveImageCodec.decode(stream, image.metadata());
    }

    @Benchmark
    public int deflate() {
        java.util.zip.Deflater deflater = new java.util.zip.Deflater(6);
        deflater.setInput(littleEndian);
        deflater.finish();
        byte[] out = new byte[littleEndian.length];
        int total = 0;
        while (!deflater.finished()) {
            total += deflater.deflate(out);
        }
        deflater.end();
        return total;
    }
}
