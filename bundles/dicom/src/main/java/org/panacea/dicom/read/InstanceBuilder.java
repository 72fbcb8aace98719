package org.panacea.dicom.read;

import java.util.List;

import org.panacea.api.imaging.Pixels;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/** Decodes the kept attributes into a {@link DicomInstance}, with the fallbacks its Javadoc states. */
final class InstanceBuilder {

    private static final Logger LOG = LoggerFactory.getLogger(InstanceBuilder.class);

    private final RawAttributes attributes;
    private final ValueDecoder decoder;

    InstanceBuilder(RawAttributes attributes, ValueDecoder decoder) {
        this.attributes = attributes;
        this.decoder = decoder;
    }

    DicomInstance build(String transferSyntaxUid, PixelFormat format, List<Pixels> frames)
            throws DicomFormatException {
        String characterSet = decoder.codeString(attributes.get(Tags.SPECIFIC_CHARACTER_SET));
        decoder.charset(CharacterSets.forValue(characterSet));
        if (!CharacterSets.isExact(characterSet)) {
            LOG.warn("Specific Character Set '{}' is read as {}: names and descriptions may be garbled",
                    characterSet, CharacterSets.forValue(characterSet));
        }
        String modality = decoder.codeString(attributes.get(Tags.MODALITY));
        var patient = new DicomInstance.Patient(decoder.text(attributes.get(Tags.PATIENT_NAME)),
                decoder.text(attributes.get(Tags.PATIENT_ID)), decoder.date(attributes.get(Tags.PATIENT_BIRTH_DATE)),
                decoder.codeString(attributes.get(Tags.PATIENT_SEX)));
        var study = new DicomInstance.Study(decoder.uid(attributes.get(Tags.STUDY_INSTANCE_UID)),
                decoder.date(attributes.get(Tags.STUDY_DATE)), decoder.text(attributes.get(Tags.STUDY_DESCRIPTION)),
                decoder.text(attributes.get(Tags.ACCESSION_NUMBER)));
        var series = new DicomInstance.Series(decoder.uid(attributes.get(Tags.SERIES_INSTANCE_UID)),
                decoder.integerString(attributes.get(Tags.SERIES_NUMBER)), modality,
                decoder.text(attributes.get(Tags.SERIES_DESCRIPTION)));
        var instance = new DicomInstance.Instance(decoder.uid(attributes.get(Tags.SOP_CLASS_UID)),
                decoder.uid(attributes.get(Tags.SOP_INSTANCE_UID)),
                decoder.integerString(attributes.get(Tags.INSTANCE_NUMBER)));

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
        double center = first(topOrShared(Tags.WINDOW_CENTER, Scope.FRAME_VOI_LUT));
        double width = first(topOrShared(Tags.WINDOW_WIDTH, Scope.FRAME_VOI_LUT));

        var image = new DicomInstance.ImageAttributes(format.rows(), format.columns(), format.samplesPerPixel(),
                format.photometricInterpretation(), format.bitsAllocated(), format.bitsStored(), format.highBit(),
                format.signed() ? 1 : 0, slope, intercept, unit, center, width,
                spacing.length == 2 ? spacing[0] : Double.NaN, spacing.length == 2 ? spacing[1] : Double.NaN,
                format.frames());
        return new DicomInstance(transferSyntaxUid, patient, study, series, instance, image, frames);
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
