package org.panacea.dicom.write;

import java.io.ByteArrayInputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.time.ZoneOffset;
import java.time.ZonedDateTime;
import java.util.List;

import org.panacea.api.imaging.Derivation;
import org.panacea.api.imaging.Finding;
import org.panacea.api.imaging.Image;
import org.panacea.api.imaging.ImageMetadata;
import org.panacea.api.imaging.Measurement;
import org.panacea.api.imaging.Pixels;
import org.panacea.dicom.read.CopiedInstance;
import org.panacea.dicom.read.DicomInstance;
import org.panacea.dicom.read.DicomReader;

/** Derived instances made from the real sample files, as the archive makes them, for the writer's tests. */
final class DerivedSamples {

    static final DerivedInstances.Equipment EQUIPMENT = new DerivedInstances.Equipment("test-node", "0.1.0");
    static final ZonedDateTime CREATED = ZonedDateTime.of(2026, 12, 7, 15, 30, 1, 123_000_000, ZoneOffset.UTC);

    private DerivedSamples() {
    }

    /** A sample file read as the archive reads a source: with the attributes a derived instance repeats. */
    static SourceImage source(String name, int frame) {
        try (InputStream in = DerivedSamples.class.getResourceAsStream("/dicom/" + name)) {
            CopiedInstance read = new DicomReader().read(in, -1, SourceImage.COPIED);
            return SourceImage.of(read, frame);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    static DicomInstance read(byte[] part10) {
        try {
            return new DicomReader().read(new ByteArrayInputStream(part10), part10.length);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    /** A 0/255 mask of the source frame's samples above {@code threshold} (stored units), as a threshold makes. */
    static Image mask(SourceImage source, double threshold) {
        Image frame = source.instance().frame(source.frame());
        byte[] mask = new byte[frame.pixels().length()];
        for (int i = 0; i < mask.length; i++) {
            mask[i] = frame.pixels().sample(i) > threshold ? (byte) 255 : 0;
        }
        ImageMetadata in = frame.metadata();
        return new Image(frame.width(), frame.height(), new Pixels.Gray8(mask), new ImageMetadata(in.modality(),
                in.rowSpacing(), in.columnSpacing(), 1, 0, "", Double.NaN, Double.NaN, 8, in.sourceInstanceUid()));
    }

    /** Real values in the source's units (its rescale kept), as a smoothing filter makes. */
    static Image real(SourceImage source) {
        Image frame = source.instance().frame(source.frame());
        float[] values = new float[frame.pixels().length()];
        for (int i = 0; i < values.length; i++) {
            values[i] = (float) (frame.pixels().sample(i) * 0.75 + Math.sin(i) / 3);
        }
        ImageMetadata in = frame.metadata();
        return new Image(frame.width(), frame.height(), new Pixels.Float32(values), new ImageMetadata(in.modality(),
                in.rowSpacing(), in.columnSpacing(), in.rescaleSlope(), in.rescaleIntercept(), in.rescaleUnit(),
                Double.NaN, Double.NaN, 32, in.sourceInstanceUid()));
    }

    /**
     * What a careless or hostile plugin and user may put into a derivation: names and parameters with the value
     * separator, non-ASCII and control characters, line breaks, and far more text than any DICOM value holds.
     */
    static Derivation hostile() {
        String long1 = "x".repeat(3000);
        return new Derivation("imaging.otsu-threshold", "1.1.0", "Évil\\name\u0000\r\nwith lines " + long1,
                "label=a\\b, note=" + long1, "", 0, List.of(new Measurement("area\r\nFinding: forged", 1, "mm2\\x")),
                List.of(new Finding("région\u0007 " + long1, List.of())));
    }

    static Derivation derivation(String id, String name) {
        return new Derivation(id, "1.1.0", name, "sigma=2, border=reflect",
                "3f786850e387550fdab836ed7e6dc881de23001b3f786850e387550fdab836ed", 0, List.of(
                        new Measurement("threshold", 672, ""), new Measurement("area", 12.5, "mm2")),
                List.of(new Finding("region 1", List.of(new Measurement("area", 3.25, "mm2")))));
    }
}
