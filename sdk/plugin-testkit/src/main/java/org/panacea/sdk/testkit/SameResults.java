package org.panacea.sdk.testkit;

import java.util.Arrays;
import java.util.Objects;

import org.panacea.api.imaging.AlgorithmResult;
import org.panacea.api.imaging.Image;
import org.panacea.api.imaging.Pixels;
import org.panacea.api.prediction.Prediction;

/**
 * Whether two results are the same, sample for sample and bit for bit: what determinism and thread safety require.
 * Each method returns {@code null} when they are the same, else the first difference in words.
 */
public final class SameResults {

    private SameResults() {
    }

    /** The first difference between two algorithm results, or {@code null}. */
    public static String difference(AlgorithmResult expected, AlgorithmResult actual) {
        if (expected == null || actual == null) {
            return expected == actual ? null : "one result is null: " + expected + " / " + actual;
        }
        String images = difference(expected.image(), actual.image());
        if (images != null) {
            return images;
        }
        // Records compare doubles with Double.compare: NaN equals NaN, as a bit-for-bit check wants.
        if (!expected.measurements().equals(actual.measurements())) {
            return "measurements differ: " + expected.measurements() + " / " + actual.measurements();
        }
        if (!expected.findings().equals(actual.findings())) {
            return "findings differ: " + expected.findings() + " / " + actual.findings();
        }
        return null;
    }

    /** The first difference between two predictions, or {@code null}. */
    public static String difference(Prediction expected, Prediction actual) {
        return Objects.equals(expected, actual) ? null : "predictions differ: " + expected + " / " + actual;
    }

    private static String difference(Image expected, Image actual) {
        if (expected == null || actual == null) {
            return expected == actual ? null : "one result has an image, the other none";
        }
        if (expected.width() != actual.width() || expected.height() != actual.height()) {
            return "image sizes differ: " + expected.width() + "x" + expected.height() + " / " + actual.width() + "x"
                    + actual.height();
        }
        if (!expected.metadata().equals(actual.metadata())) {
            return "image metadata differ: " + expected.metadata() + " / " + actual.metadata();
        }
        Pixels a = expected.pixels();
        Pixels b = actual.pixels();
        if (a.getClass() != b.getClass()) {
            return "pixel formats differ: " + a.getClass().getSimpleName() + " / " + b.getClass().getSimpleName();
        }
        int index;
        if (a instanceof Pixels.Gray8 gray) {
            index = Arrays.mismatch(gray.values(), ((Pixels.Gray8) b).values());
        } else if (a instanceof Pixels.Gray16 gray) {
            if (gray.signed() != ((Pixels.Gray16) b).signed()) {
                return "one image is signed, the other not";
            }
            index = Arrays.mismatch(gray.values(), ((Pixels.Gray16) b).values());
        } else {
            // Arrays.mismatch on float[] compares bit patterns (NaN equals NaN), as required here.
            index = Arrays.mismatch(((Pixels.Float32) a).values(), ((Pixels.Float32) b).values());
        }
        return index < 0 ? null : "sample " + index + " differs: " + a.sample(index) + " / " + b.sample(index);
    }
}
