package org.panacea.engine.internal.audit;

import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.HexFormat;
import java.util.Map;
import java.util.TreeMap;

import org.panacea.api.imaging.Pixels;
import org.panacea.api.prediction.Contribution;
import org.panacea.api.prediction.CurvePoint;
import org.panacea.api.prediction.Prediction;

/**
 * SHA-256 digests (lower-case hex) of what goes into and comes out of a run, so that an auditor holding the data can
 * prove which input gave which output. Defined so that anyone can recompute them:
 * <ul>
 * <li>pixels: the samples in row-major order, little endian: Gray8 one byte each, Gray16 two (two's complement when
 * signed), Float32 the four bytes of their IEEE 754 bits; the same bytes as a raw {@code .raw} dump of the image, so
 * {@code sha256sum} of such a file gives the same digest;</li>
 * <li>model inputs: UTF-8 text of one {@code name=value} line per input, sorted by name, each ending in {@code \n},
 * the value as Java's {@link Double#toString(double)} writes it ({@code age=63.0});</li>
 * <li>a prediction: UTF-8 lines {@code outcome=}, {@code value=}, {@code unit=}, {@code interpretation=}, then one
 * {@code contribution=input|inputValue|contribution|explanation} per contribution and one
 * {@code curve=time|value|lower|upper} per curve point, in the model's order, numbers as above.</li>
 * </ul>
 * Pixels are digested in 64 KiB slices: a 2048x2048 image is never copied whole.
 */
public final class Digests {

    private static final int SLICE_BYTES = 64 * 1024;

    private Digests() {
    }

    /** The digest of an image's samples. */
    public static String pixels(Pixels pixels) {
        MessageDigest sha = sha256();
        if (pixels instanceof Pixels.Gray8 gray8) {
            sha.update(gray8.values());
        } else if (pixels instanceof Pixels.Gray16 gray16) {
            short[] values = gray16.values();
            ByteBuffer slice = ByteBuffer.allocate(SLICE_BYTES).order(ByteOrder.LITTLE_ENDIAN);
            for (int from = 0; from < values.length; from += SLICE_BYTES / 2) {
                int count = Math.min(SLICE_BYTES / 2, values.length - from);
                slice.clear();
                slice.asShortBuffer().put(values, from, count);
                sha.update(slice.array(), 0, count * 2);
            }
        } else if (pixels instanceof Pixels.Float32 float32) {
            float[] values = float32.values();
            ByteBuffer slice = ByteBuffer.allocate(SLICE_BYTES).order(ByteOrder.LITTLE_ENDIAN);
            for (int from = 0; from < values.length; from += SLICE_BYTES / 4) {
                int count = Math.min(SLICE_BYTES / 4, values.length - from);
                slice.clear();
                slice.asFloatBuffer().put(values, from, count);
                sha.update(slice.array(), 0, count * 4);
            }
        } else {
            throw new IllegalArgumentException("unknown pixel type " + pixels.getClass().getName());
        }
        return HexFormat.of().formatHex(sha.digest());
    }

    /** Bytes of the samples: 1, 2 or 4 per sample. */
    public static long pixelBytes(Pixels pixels) {
        long perSample = pixels instanceof Pixels.Gray8 ? 1 : pixels instanceof Pixels.Gray16 ? 2 : 4;
        return perSample * pixels.length();
    }

    /** The digest of a model's input values. */
    public static String inputs(Map<String, Double> values) {
        return text(canonicalInputs(values));
    }

    /** The text whose digest {@link #inputs} is. */
    public static String canonicalInputs(Map<String, Double> values) {
        StringBuilder text = new StringBuilder();
        new TreeMap<>(values).forEach((name, value) -> text.append(name).append('=').append(value).append('\n'));
        return text.toString();
    }

    /** The digest of a prediction. */
    public static String prediction(Prediction prediction) {
        return text(canonicalPrediction(prediction));
    }

    /** The text whose digest {@link #prediction} is. */
    public static String canonicalPrediction(Prediction prediction) {
        StringBuilder text = new StringBuilder();
        text.append("outcome=").append(prediction.outcome()).append('\n');
        text.append("value=").append(prediction.value()).append('\n');
        text.append("unit=").append(prediction.unit()).append('\n');
        text.append("interpretation=").append(prediction.interpretation()).append('\n');
        for (Contribution c : prediction.contributions()) {
            text.append("contribution=").append(c.input()).append('|').append(c.inputValue()).append('|')
                    .append(c.contribution()).append('|').append(c.explanation()).append('\n');
        }
        for (CurvePoint point : prediction.curve()) {
            text.append("curve=").append(point.time()).append('|').append(point.value()).append('|')
                    .append(point.lower()).append('|').append(point.upper()).append('\n');
        }
        return text.toString();
    }

    /** The digest of UTF-8 text. */
    public static String text(String text) {
        return HexFormat.of().formatHex(sha256().digest(text.getBytes(StandardCharsets.UTF_8)));
    }

    private static MessageDigest sha256() {
        try {
            return MessageDigest.getInstance("SHA-256");
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException("every Java platform has SHA-256", e);
        }
    }
}
