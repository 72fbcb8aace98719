package org.panacea.dicom.read;

import java.util.ArrayList;
import java.util.List;
import java.util.Set;

import org.panacea.api.imaging.Pixels;
import org.panacea.api.imaging.ValueChecking;
import org.panacea.api.imaging.ValueWarning;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Decodes the kept attributes into a {@link DicomInstance}, with the fallbacks its Javadoc states. Values of the
 * descriptive attributes (who, which study and series, numbers, dates, window, plane) are read as {@code checking}
 * says: strictly, a bad one refuses the file; leniently, it becomes a {@link ValueWarning} and its safe reading
 * (absent, or unknown for Patient's Sex; the text itself for an over-long string or a stray byte). What describes
 * the pixels (rows, bits, photometric interpretation, rescale, spacing) and the UIDs that name the instance are
 * always read strictly.
 */
final class InstanceBuilder {

    private static final Logger LOG = LoggerFactory.getLogger(InstanceBuilder.class);
    /** Patient's Sex's enumerated values (PS3.3 C.7.1.1), and empty for unknown. */
    private static final Set<String> SEXES = Set.of("M", "F", "O", "");

    @FunctionalInterface
    private interface Reading<T> {
        T read() throws DicomFormatException;
    }

    private final RawAttributes attributes;
    private final ValueDecoder decoder;
    private final ValueChecking checking;
    private final List<ValueWarning> warnings = new ArrayList<>();

    InstanceBuilder(RawAttributes attributes, ValueDecoder decoder, ValueChecking checking) {
        this.attributes = attributes;
        this.decoder = decoder;
        this.checking = checking;
    }

    /**
     * The value {@code reading} decodes; when it breaks its VR's rules and values are read leniently, {@code
     * fallback} and a warning saying the record reads it as {@code safeReading}.
     */
    private <T> T lenient(int tag, Reading<T> reading, Reading<T> fallback, String safeReading)
            throws DicomFormatException {
        try {
            return reading.read();
        } catch (InvalidValueException e) {
            if (checking == ValueChecking.STRICT) {
                throw e;
            }
            warnings.add(new ValueWarning(tag, Tags.name(tag), e.received(), e.problem(), safeReading));
            return fallback.read();
        }
    }

    private String text(int tag, int maxCharacters, String vr) throws DicomFormatException {
        RawValue value = attributes.get(tag);
        return lenient(tag, () -> decoder.checkedText(value, maxCharacters, vr), () -> decoder.text(value),
                "the text as received");
    }

    private <T> T orAbsent(int tag, Reading<T> reading, T absent) throws DicomFormatException {
        return lenient(tag, reading, () -> absent, "absent");
    }

    DicomInstance build(String transferSyntaxUid, PixelFormat format, List<Pixels> frames)
            throws DicomFormatException {
        String characterSet = decoder.codeString(attributes.get(Tags.SPECIFIC_CHARACTER_SET));
        decoder.characterSet(characterSet);
        if (!CharacterSets.isExact(characterSet)) {
            LOG.warn("Specific Character Set '{}' is read as {}: names and descriptions may be garbled",
                    characterSet, CharacterSets.forValue(characterSet));
        }
        RawValue modalityValue = attributes.get(Tags.MODALITY);
        String modality = lenient(Tags.MODALITY, () -> decoder.codeString(modalityValue), () -> "", "OT (other)");
        RawValue sexValue = attributes.get(Tags.PATIENT_SEX);
        String sex = lenient(Tags.PATIENT_SEX, () -> sex(sexValue), () -> "", "unknown");
        var patient = new DicomInstance.Patient(text(Tags.PATIENT_NAME, 64, "PN"), text(Tags.PATIENT_ID, 64, "LO"),
                orAbsent(Tags.PATIENT_BIRTH_DATE, () -> decoder.date(attributes.get(Tags.PATIENT_BIRTH_DATE)), null),
                sex);
        var study = new DicomInstance.Study(decoder.uid(attributes.get(Tags.STUDY_INSTANCE_UID)),
                orAbsent(Tags.STUDY_DATE, () -> decoder.date(attributes.get(Tags.STUDY_DATE)), null),
                text(Tags.STUDY_DESCRIPTION, 64, "LO"), text(Tags.ACCESSION_NUMBER, 16, "SH"));
        var series = new DicomInstance.Series(decoder.uid(attributes.get(Tags.SERIES_INSTANCE_UID)),
                orAbsent(Tags.SERIES_NUMBER, () -> decoder.integerString(attributes.get(Tags.SERIES_NUMBER)), null),
                modality, text(Tags.SERIES_DESCRIPTION, 64, "LO"), text(Tags.BODY_PART_EXAMINED, 16, "CS"));
        var instance = new DicomInstance.Instance(decoder.uid(attributes.get(Tags.SOP_CLASS_UID)),
                decoder.uid(attributes.get(Tags.SOP_INSTANCE_UID)),
                orAbsent(Tags.INSTANCE_NUMBER, () -> decoder.integerString(attributes.get(Tags.INSTANCE_NUMBER)),
                        null));

        double slope = 1;
        double intercept = 0;
        String unit = "";
        RawValue slopeValue = topOrShared(Tags.RESCALE_SLOPE, Scope.PIXEL_VALUE_TRANSFORMATION);
        RawValue doseScaling = attributes.get(Tags.DOSE_GRID_SCALING);
        RawValue realWorldSlope = attributes.get(Scope.REAL_WORLD_VALUE_MAPPING, Tags.REAL_WORLD_VALUE_SLOPE);
        boolean realWorld = realWorldSlope != null && attributes.get(Tags.RESCALE_SLOPE) == null;
        if (realWorld) {
            // A Parametric Map: its values are mapped to their unit by the real world value mapping; its pixel value
            // transformation is the identity.
            slopeValue = realWorldSlope;
            slope = floatingDouble(slopeValue, "Real World Value Slope");
            RawValue interceptValue = attributes.get(Scope.REAL_WORLD_VALUE_MAPPING, Tags.REAL_WORLD_VALUE_INTERCEPT);
            intercept = interceptValue == null ? 0 : floatingDouble(interceptValue, "Real World Value Intercept");
            unit = unitOfCode(decoder.text(attributes.get(Scope.MEASUREMENT_UNITS, Tags.CODE_VALUE)));
        } else if (slopeValue != null) {
            slope = single(slopeValue, "Rescale Slope");
            intercept = single(topOrShared(Tags.RESCALE_INTERCEPT, Scope.PIXEL_VALUE_TRANSFORMATION), 0,
                    "Rescale Intercept");
            String type = decoder.text(topOrShared(Tags.RESCALE_TYPE, Scope.PIXEL_VALUE_TRANSFORMATION));
            unit = "US".equals(type) ? "" : type;
        } else if (doseScaling != null) {
            slope = single(doseScaling, "Dose Grid Scaling");
            slopeValue = doseScaling;
            String doseUnits = decoder.codeString(attributes.get(Tags.DOSE_UNITS));
            unit = "GY".equals(doseUnits) ? "Gy" : "RELATIVE".equals(doseUnits) ? "relative" : doseUnits;
        }
        if (slope == 0) {
            throw decoder.error(slopeValue, "a rescale slope of 0 would map every sample to one value");
        }
        if (unit.isEmpty() && !realWorld && "CT".equals(modality) && attributes.get(Tags.RESCALE_TYPE) == null) {
            unit = "HU";
        }
        double[] spacing = decoder.decimalStrings(topOrShared(Tags.PIXEL_SPACING, Scope.PIXEL_MEASURES));
        if (spacing.length != 0 && (spacing.length != 2 || !(spacing[0] > 0 && spacing[1] > 0))) {
            throw decoder.error(topOrShared(Tags.PIXEL_SPACING, Scope.PIXEL_MEASURES),
                    "Pixel Spacing must be two positive distances (row\\column, mm)");
        }
        double center = orAbsent(Tags.WINDOW_CENTER, () -> first(topOrShared(Tags.WINDOW_CENTER,
                Scope.FRAME_VOI_LUT)), Double.NaN);
        double width = orAbsent(Tags.WINDOW_WIDTH, () -> first(topOrShared(Tags.WINDOW_WIDTH, Scope.FRAME_VOI_LUT)),
                Double.NaN);

        var image = new DicomInstance.ImageAttributes(format.rows(), format.columns(), format.samplesPerPixel(),
                format.photometricInterpretation(), format.bitsAllocated(), format.bitsStored(), format.highBit(),
                format.signed() ? 1 : 0, slope, intercept, unit, center, width,
                spacing.length == 2 ? spacing[0] : Double.NaN, spacing.length == 2 ? spacing[1] : Double.NaN,
                format.frames());
        DicomInstance.ImagePlane plane = plane();
        warnings.sort((a, b) -> Integer.compareUnsigned(a.tag(), b.tag()));
        return new DicomInstance(transferSyntaxUid, patient, study, series, instance, image, frames, plane,
                warnings);
    }

    /** Patient's Sex: a valid code string and one of the enumerated values. */
    private String sex(RawValue value) throws DicomFormatException {
        String sex = decoder.codeString(value);
        if (!SEXES.contains(sex)) {
            throw decoder.invalid(value, "not one of the values M, F, O that Patient's Sex allows");
        }
        return sex;
    }

    private DicomInstance.ImagePlane plane() throws DicomFormatException {
        double[] position = orAbsent(Tags.IMAGE_POSITION_PATIENT,
                () -> numbers(attributes.get(Tags.IMAGE_POSITION_PATIENT), 3), new double[0]);
        double[] orientation = orAbsent(Tags.IMAGE_ORIENTATION_PATIENT,
                () -> numbers(topOrShared(Tags.IMAGE_ORIENTATION_PATIENT, Scope.PLANE_ORIENTATION), 6), new double[0]);
        double thickness = orAbsent(Tags.SLICE_THICKNESS,
                () -> first(topOrShared(Tags.SLICE_THICKNESS, Scope.PIXEL_MEASURES)), Double.NaN);
        String frameOfReference = orAbsent(Tags.FRAME_OF_REFERENCE_UID,
                () -> decoder.uid(attributes.get(Tags.FRAME_OF_REFERENCE_UID)), "");
        return new DicomInstance.ImagePlane(position, orientation, thickness, frameOfReference);
    }

    /** The {@code count} values of a DS element, or none when it is absent or empty. */
    private double[] numbers(RawValue value, int count) throws DicomFormatException {
        double[] numbers = decoder.decimalStrings(value);
        if (numbers.length != 0 && numbers.length != count) {
            throw decoder.invalid(value, "not " + count + " numbers but " + numbers.length);
        }
        return numbers;
    }

    /** The one value of an FD element, in the byte order it was stored in. */
    private double floatingDouble(RawValue value, String name) throws DicomFormatException {
        if (value.bytes().length != 8) {
            throw decoder.error(value, name + " must hold one 8-byte floating point number, holds "
                    + value.bytes().length + " bytes");
        }
        double number = java.nio.ByteBuffer.wrap(value.bytes())
                .order(value.bigEndian() ? java.nio.ByteOrder.BIG_ENDIAN : java.nio.ByteOrder.LITTLE_ENDIAN)
                .getDouble();
        if (!Double.isFinite(number)) {
            throw decoder.error(value, name + " is " + number);
        }
        return number;
    }

    /** A UCUM unit code as Panacea names units: {@code HU} for Hounsfield units, empty for "no units". */
    private static String unitOfCode(String code) {
        if (code == null || code.isEmpty() || "1".equals(code)) {
            return "";
        }
        return "[hnsf'U]".equals(code) ? "HU" : code;
    }

    private RawValue topOrShared(int tag, Scope shared) {
        RawValue top = attributes.get(tag);
        return top != null ? top : attributes.get(shared, tag);
    }

    /** The one value of a single-valued DS element. */
    private double single(RawValue value, String name) throws DicomFormatException {
        double[] values = decoder.decimalStrings(value);
        if (values.length != 1) {
            throw decoder.error(value, name + " must hold one number, holds " + values.length);
        }
        return values[0];
    }

    private double single(RawValue value, double absent, String name) throws DicomFormatException {
        return value == null || decoder.decimalStrings(value).length == 0 ? absent : single(value, name);
    }

    private double first(RawValue value) throws DicomFormatException {
        double[] values = decoder.decimalStrings(value);
        return values.length == 0 ? Double.NaN : values[0];
    }
}
