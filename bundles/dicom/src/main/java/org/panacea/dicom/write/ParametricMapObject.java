package org.panacea.dicom.write;

import java.nio.ByteBuffer;
import java.nio.ByteOrder;

import org.panacea.api.imaging.Image;
import org.panacea.api.imaging.ImageMetadata;
import org.panacea.api.imaging.Pixels;
import org.panacea.dicom.read.Vr;

/**
 * Any other output as a Parametric Map (PS3.3 A.75, C.8.32): real values as Float Pixel Data (7FE0,0008), their IEEE
 * 754 bits unchanged; 8- and 16-bit values as 16-bit integer Pixel Data, with the identity pixel value transformation.
 * The output's rescale becomes the Real World Value Mapping (its slope, intercept and unit as a UCUM code), so that
 * {@code value = sample * slope + intercept} in the unit named, as it was for the algorithm.
 */
final class ParametricMapObject {

    /** Panacea's private coding scheme (PS3.3 8.2: designators beginning "99" are private). */
    static final String CODING_SCHEME = "99PANACEA";

    private ParametricMapObject() {
    }

    static DataSet dataset(DerivedModules modules, Image image) {
        String modality = image.metadata().modality().isBlank() ? "OT" : image.metadata().modality().strip();
        if (!modality.matches("[A-Z0-9 _]{1,16}")) {
            modality = "OT";
        }
        String[] type = { "DERIVED", "PRIMARY", "VOLUME", "NONE" };
        // A parametric map always has a frame of reference; off the source's grid it gets one of its own.
        DataSet data = modules.common(modality, "PARAMETRIC_MAP", true, type);
        Pixels pixels = image.pixels();
        boolean real = pixels instanceof Pixels.Float32;
        data.unsignedShorts(Tag.BITS_ALLOCATED, real ? 32 : 16);
        if (!real) {
            data.unsignedShorts(Tag.BITS_STORED, 16).unsignedShorts(Tag.HIGH_BIT, 15)
                    .unsignedShorts(Tag.PIXEL_REPRESENTATION, pixels instanceof Pixels.Gray16 g && g.signed() ? 1 : 0);
        }
        data.text(Tag.BURNED_IN_ANNOTATION, Vr.CS, "NO").text(Tag.RECOGNIZABLE_VISUAL_FEATURES, Vr.CS, "NO")
                .text(Tag.LOSSY_IMAGE_COMPRESSION, Vr.CS, "00").text(Tag.LATERALITY, Vr.CS)
                .text(Tag.CONTENT_QUALIFICATION, Vr.CS, "RESEARCH")
                .text(Tag.PRESENTATION_LUT_SHAPE, Vr.CS, "IDENTITY")
                .sequence(Tag.ACQUISITION_CONTEXT_SEQUENCE);
        modules.dimensions(data, new int[][] { { Tag.IMAGE_POSITION_PATIENT, Tag.PLANE_POSITION_SEQUENCE } },
                new String[] { "ImagePositionPatient" });
        DataSet shared = modules.sharedGroups(true);
        shared.sequence(Tag.PARAMETRIC_MAP_FRAME_TYPE_SEQUENCE, new DataSet().text(Tag.FRAME_TYPE, Vr.CS, type));
        shared.sequence(Tag.REAL_WORLD_VALUE_MAPPING_SEQUENCE, realWorldValueMapping(image));
        // The identity transformation (PS3.3 C.7.6.16.2.9b): the values' meaning is the real world value mapping's.
        shared.sequence(Tag.PIXEL_VALUE_TRANSFORMATION_SEQUENCE, new DataSet()
                .decimals(Tag.RESCALE_INTERCEPT, 0).decimals(Tag.RESCALE_SLOPE, 1)
                .text(Tag.RESCALE_TYPE, Vr.LO, "US"));
        data.sequence(Tag.SHARED_FUNCTIONAL_GROUPS_SEQUENCE, shared);
        var derivation = modules.derivation();
        data.sequence(Tag.PER_FRAME_FUNCTIONAL_GROUPS_SEQUENCE, modules.frameGroups(DataSet.code("ALGORITHM",
                CODING_SCHEME, DataSet.fit("Panacea imaging algorithm " + derivation.algorithmId(), 64)), true, 1));
        if (real) {
            float[] values = ((Pixels.Float32) pixels).values();
            ByteBuffer bytes = ByteBuffer.allocate(values.length * 4).order(ByteOrder.LITTLE_ENDIAN);
            bytes.asFloatBuffer().put(values);
            data.binary(Tag.FLOAT_PIXEL_DATA, Vr.OF, bytes.array());
        } else {
            data.binary(Tag.PIXEL_DATA, Vr.OW, words(pixels));
        }
        return data;
    }

    private static DataSet realWorldValueMapping(Image image) {
        ImageMetadata meta = image.metadata();
        Pixels pixels = image.pixels();
        double lowest = Double.POSITIVE_INFINITY;
        double highest = Double.NEGATIVE_INFINITY;
        for (int i = 0; i < pixels.length(); i++) {
            double value = pixels.sample(i);
            if (Double.isFinite(value)) {
                lowest = Math.min(lowest, value);
                highest = Math.max(highest, value);
            }
        }
        if (lowest > highest) {
            lowest = 0;
            highest = 0;
        }
        String[] unit = ucum(meta.rescaleUnit());
        DataSet mapping = new DataSet().text(Tag.LUT_EXPLANATION, Vr.LO, DataSet.fit(unit[1], 64))
                .sequence(Tag.MEASUREMENT_UNITS_CODE_SEQUENCE, DataSet.code(unit[0], "UCUM", unit[1]))
                .text(Tag.LUT_LABEL, Vr.SH, "PANACEA")
                .doubles(Tag.REAL_WORLD_VALUE_INTERCEPT, meta.rescaleIntercept())
                .doubles(Tag.REAL_WORLD_VALUE_SLOPE, meta.rescaleSlope());
        if (pixels instanceof Pixels.Float32) {
            mapping.doubles(Tag.DOUBLE_FLOAT_REAL_WORLD_VALUE_FIRST_VALUE_MAPPED, lowest)
                    .doubles(Tag.DOUBLE_FLOAT_REAL_WORLD_VALUE_LAST_VALUE_MAPPED, highest);
        } else {
            // US for unsigned samples, SS for signed ones (PS3.3 C.7.6.16.2.11.1.1).
            boolean signed = pixels instanceof Pixels.Gray16 g && g.signed();
            mapping.binary(Tag.REAL_WORLD_VALUE_FIRST_VALUE_MAPPED, signed ? Vr.SS : Vr.US, shortBytes((int) lowest))
                    .binary(Tag.REAL_WORLD_VALUE_LAST_VALUE_MAPPED, signed ? Vr.SS : Vr.US, shortBytes((int) highest));
        }
        return mapping;
    }

    /** A unit as Panacea names it, as a UCUM code and its meaning. */
    static String[] ucum(String unit) {
        return switch (unit) {
            case "HU" -> new String[] { "[hnsf'U]", "Hounsfield unit" };
            case "", "relative" -> new String[] { "1", "no units" };
            case "Gy" -> new String[] { "Gy", "Gray" };
            default -> {
                String code = DataSet.fit(unit, 16);
                yield new String[] { code, code };
            }
        };
    }

    private static byte[] shortBytes(int value) {
        return ByteBuffer.allocate(2).order(ByteOrder.LITTLE_ENDIAN).putShort((short) value).array();
    }

    /** 8- or 16-bit samples as 16-bit little-endian words. */
    private static byte[] words(Pixels pixels) {
        ByteBuffer bytes = ByteBuffer.allocate(pixels.length() * 2).order(ByteOrder.LITTLE_ENDIAN);
        if (pixels instanceof Pixels.Gray16 gray) {
            bytes.asShortBuffer().put(gray.values());
        } else {
            byte[] values = ((Pixels.Gray8) pixels).values();
            for (int i = 0; i < values.length; i++) {
                bytes.putShort(i * 2, (short) (values[i] & 0xFF));
            }
        }
        return bytes.array();
    }
}
