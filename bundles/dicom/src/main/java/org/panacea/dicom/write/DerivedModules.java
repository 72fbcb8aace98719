package org.panacea.dicom.write;

import java.time.ZonedDateTime;
import java.time.format.DateTimeFormatter;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;

import org.panacea.api.imaging.Derivation;
import org.panacea.api.imaging.Finding;
import org.panacea.api.imaging.Image;
import org.panacea.api.imaging.ImageMetadata;
import org.panacea.api.imaging.Measurement;
import org.panacea.dicom.read.DicomInstance;
import org.panacea.dicom.read.Vr;

/**
 * The modules a segmentation and a parametric map share (PS3.3 A.51.3, A.75.3): patient, general study, general
 * series, frame of reference, (enhanced) general equipment, content identification, common instance reference, SOP
 * common, multi-frame dimensions, and the functional groups that place and derive every frame.
 */
final class DerivedModules {

    private static final DateTimeFormatter DA = DateTimeFormatter.ofPattern("yyyyMMdd", Locale.ROOT);
    private static final DateTimeFormatter TM = DateTimeFormatter.ofPattern("HHmmss.SSSSSS", Locale.ROOT);
    /** Series Number of derived series: far from the modality's own numbers. */
    static final int SERIES_NUMBER = 1000;

    private final SourceImage source;
    private final Image image;
    private final Derivation derivation;
    private final DerivedInstances.Equipment equipment;
    private final ZonedDateTime created;
    private final String sopClass;
    private final String seriesUid = Uids.random();
    private final String instanceUid = Uids.random();
    private final String dimensionOrganizationUid = Uids.random();
    private final boolean onSourceGrid;

    DerivedModules(SourceImage source, Image image, Derivation derivation, DerivedInstances.Equipment equipment,
            ZonedDateTime created, String sopClass) {
        this.source = source;
        this.image = image;
        this.derivation = derivation;
        this.equipment = equipment;
        this.created = created;
        this.sopClass = sopClass;
        DicomInstance.ImageAttributes from = source.instance().image();
        // The output shares the source's frame of reference only when it lies on the source's pixel grid, placed by
        // the source's position, orientation and slice thickness; in a multi-frame source those may differ per frame
        // (functional groups, RT dose offsets) and are not read, so its outputs are not placed.
        this.onSourceGrid = image.width() == from.columns() && image.height() == from.rows()
                && source.instance().frames().size() == 1 && source.has(Tag.FRAME_OF_REFERENCE_UID)
                && source.has(Tag.IMAGE_POSITION_PATIENT) && source.has(Tag.IMAGE_ORIENTATION_PATIENT)
                && source.has(Tag.SLICE_THICKNESS) && sameSpacing(image.metadata(), from);
    }

    String seriesUid() {
        return seriesUid;
    }

    String instanceUid() {
        return instanceUid;
    }

    boolean onSourceGrid() {
        return onSourceGrid;
    }

    Derivation derivation() {
        return derivation;
    }

    /**
     * The top-level attributes of both objects; {@code modality} is the series' (SEG, or the source's for a map),
     * {@code contentLabel} the Content Label. Off the source's grid, {@code ownFrameOfReference} gives the object a
     * new frame of reference of its own (an object that must have one, whose nominal geometry relates it to nothing
     * else), else none and an empty Patient Orientation.
     */
    DataSet common(String modality, String contentLabel, boolean ownFrameOfReference, String... imageType) {
        DataSet data = new DataSet();
        if (source.has(Tag.SPECIFIC_CHARACTER_SET)) {
            data.copied(Tag.SPECIFIC_CHARACTER_SET, Vr.CS, source.value(Tag.SPECIFIC_CHARACTER_SET));
        }
        String date = created.format(DA);
        String time = created.format(TM);
        data.text(Tag.IMAGE_TYPE, Vr.CS, imageType)
                .text(Tag.INSTANCE_CREATION_DATE, Vr.DA, date).text(Tag.INSTANCE_CREATION_TIME, Vr.TM, time)
                .text(Tag.SOP_CLASS_UID, Vr.UI, sopClass).text(Tag.SOP_INSTANCE_UID, Vr.UI, instanceUid)
                .text(Tag.SERIES_DATE, Vr.DA, date).text(Tag.CONTENT_DATE, Vr.DA, date)
                .text(Tag.SERIES_TIME, Vr.TM, time).text(Tag.CONTENT_TIME, Vr.TM, time)
                .text(Tag.MODALITY, Vr.CS, modality)
                .text(Tag.MANUFACTURER, Vr.LO, "Panacea")
                .text(Tag.SERIES_DESCRIPTION, Vr.LO, DataSet.fit(derivation.algorithmId() + " "
                        + derivation.algorithmVersion(), 64))
                .text(Tag.MANUFACTURER_MODEL_NAME, Vr.LO, "Panacea imaging engine")
                .text(Tag.DEVICE_SERIAL_NUMBER, Vr.LO, DataSet.fit(equipment.deviceSerialNumber(), 64))
                .text(Tag.SOFTWARE_VERSIONS, Vr.LO, DataSet.fit("Panacea " + equipment.softwareVersion(), 64),
                        DataSet.fit(derivation.algorithmId() + " " + derivation.algorithmVersion(), 64))
                .text(Tag.STUDY_INSTANCE_UID, Vr.UI, source.instance().study().instanceUid())
                .text(Tag.SERIES_INSTANCE_UID, Vr.UI, seriesUid)
                .text(Tag.SERIES_NUMBER, Vr.IS, Integer.toString(SERIES_NUMBER))
                .text(Tag.INSTANCE_NUMBER, Vr.IS, "1")
                .text(Tag.IMAGE_COMMENTS, Vr.LT, DataSet.fitLines(comments(), 10240))
                .text(Tag.CONTENT_LABEL, Vr.CS, contentLabel)
                .text(Tag.CONTENT_DESCRIPTION, Vr.LO, DataSet.fit(derivation.describe(), 64))
                .text(Tag.CONTENT_CREATOR_NAME, Vr.PN);
        // Patient and general study: as the source stores them (type 2: empty when it has none).
        for (int tag : new int[] { Tag.PATIENT_NAME, Tag.PATIENT_ID, Tag.PATIENT_BIRTH_DATE, Tag.PATIENT_SEX,
                Tag.STUDY_DATE, Tag.STUDY_TIME, Tag.REFERRING_PHYSICIAN_NAME, Tag.STUDY_ID, Tag.ACCESSION_NUMBER }) {
            data.copied(tag, vrOf(tag), source.value(tag));
        }
        if (source.has(Tag.STUDY_DESCRIPTION)) {
            data.copied(Tag.STUDY_DESCRIPTION, Vr.LO, source.value(Tag.STUDY_DESCRIPTION));
        }
        if (source.has(Tag.BODY_PART_EXAMINED)) {
            data.copied(Tag.BODY_PART_EXAMINED, Vr.CS, source.value(Tag.BODY_PART_EXAMINED));
        }
        if (onSourceGrid) {
            data.copied(Tag.FRAME_OF_REFERENCE_UID, Vr.UI, source.value(Tag.FRAME_OF_REFERENCE_UID));
            data.copied(Tag.POSITION_REFERENCE_INDICATOR, Vr.LO, source.value(Tag.POSITION_REFERENCE_INDICATOR));
        } else if (ownFrameOfReference) {
            data.text(Tag.FRAME_OF_REFERENCE_UID, Vr.UI, Uids.random()).text(Tag.POSITION_REFERENCE_INDICATOR, Vr.LO);
        } else {
            data.text(Tag.PATIENT_ORIENTATION, Vr.CS);
        }
        data.sequence(Tag.REFERENCED_SERIES_SEQUENCE, new DataSet()
                .sequence(Tag.REFERENCED_INSTANCE_SEQUENCE, sourceReference())
                .text(Tag.SERIES_INSTANCE_UID, Vr.UI, source.instance().series().instanceUid()));
        data.unsignedShorts(Tag.SAMPLES_PER_PIXEL, 1)
                .text(Tag.PHOTOMETRIC_INTERPRETATION, Vr.CS, "MONOCHROME2")
                .text(Tag.NUMBER_OF_FRAMES, Vr.IS, "1")
                .unsignedShorts(Tag.ROWS, image.height()).unsignedShorts(Tag.COLUMNS, image.width());
        return data;
    }

    /** Dimension organisation: one index per {@code pointers} pair (the attribute, the functional group holding it). */
    void dimensions(DataSet data, int[][] pointers, String[] labels) {
        data.sequence(Tag.DIMENSION_ORGANIZATION_SEQUENCE, new DataSet()
                .text(Tag.DIMENSION_ORGANIZATION_UID, Vr.UI, dimensionOrganizationUid));
        List<DataSet> indices = new ArrayList<>();
        for (int i = 0; i < pointers.length; i++) {
            indices.add(new DataSet().text(Tag.DIMENSION_ORGANIZATION_UID, Vr.UI, dimensionOrganizationUid)
                    .tags(Tag.DIMENSION_INDEX_POINTER, pointers[i][0])
                    .tags(Tag.FUNCTIONAL_GROUP_POINTER, pointers[i][1])
                    .text(Tag.DIMENSION_DESCRIPTION_LABEL, Vr.LO, labels[i]));
        }
        data.sequence(Tag.DIMENSION_INDEX_SEQUENCE, indices);
    }

    /**
     * The shared functional groups every frame has: pixel measures and, on the source's grid, its orientation; off
     * it, with {@code nominal} (an object that must be placed), the nominal geometry of its own frame of reference:
     * rows along x, columns along y, 1 mm pixels when the spacing is unknown, 1 mm thick.
     */
    DataSet sharedGroups(boolean nominal) {
        DataSet shared = new DataSet();
        ImageMetadata meta = image.metadata();
        boolean spacing = Double.isFinite(meta.rowSpacing()) && Double.isFinite(meta.columnSpacing());
        if (spacing || nominal) {
            DataSet measures = spacing ? new DataSet().decimals(Tag.PIXEL_SPACING, meta.rowSpacing(),
                    meta.columnSpacing()) : new DataSet().decimals(Tag.PIXEL_SPACING, 1, 1);
            if (onSourceGrid) {
                measures.copied(Tag.SLICE_THICKNESS, Vr.DS, source.value(Tag.SLICE_THICKNESS));
            } else if (nominal) {
                measures.decimals(Tag.SLICE_THICKNESS, 1);
            }
            shared.sequence(Tag.PIXEL_MEASURES_SEQUENCE, measures);
        }
        if (onSourceGrid) {
            shared.sequence(Tag.PLANE_ORIENTATION_SEQUENCE, new DataSet()
                    .copied(Tag.IMAGE_ORIENTATION_PATIENT, Vr.DS, source.value(Tag.IMAGE_ORIENTATION_PATIENT)));
        } else if (nominal) {
            shared.sequence(Tag.PLANE_ORIENTATION_SEQUENCE, new DataSet()
                    .decimals(Tag.IMAGE_ORIENTATION_PATIENT, 1, 0, 0, 0, 1, 0));
        }
        return shared;
    }

    /**
     * The per-frame groups of the one frame: where it derives from (the source frame, for {@code derivationCode}),
     * its dimension index values and, on the source's grid, its position.
     */
    DataSet frameGroups(DataSet derivationCode, boolean nominal, long... dimensionIndexValues) {
        DataSet sourceImage = sourceReference();
        if (source.instance().frames().size() > 1) {
            sourceImage.text(Tag.REFERENCED_FRAME_NUMBER, Vr.IS, Integer.toString(source.frame() + 1));
        }
        sourceImage.sequence(Tag.PURPOSE_OF_REFERENCE_CODE_SEQUENCE,
                DataSet.code("121322", "DCM", "Source image for image processing operation"));
        DataSet frame = new DataSet()
                .sequence(Tag.DERIVATION_IMAGE_SEQUENCE, new DataSet()
                        .text(Tag.DERIVATION_DESCRIPTION, Vr.ST, DataSet.fit(derivation.describe(), 1024))
                        .sequence(Tag.SOURCE_IMAGE_SEQUENCE, sourceImage)
                        .sequence(Tag.DERIVATION_CODE_SEQUENCE, derivationCode))
                .sequence(Tag.FRAME_CONTENT_SEQUENCE, new DataSet()
                        .unsignedLongs(Tag.DIMENSION_INDEX_VALUES, dimensionIndexValues));
        if (onSourceGrid) {
            frame.sequence(Tag.PLANE_POSITION_SEQUENCE, new DataSet()
                    .copied(Tag.IMAGE_POSITION_PATIENT, Vr.DS, source.value(Tag.IMAGE_POSITION_PATIENT)));
        } else if (nominal) {
            frame.sequence(Tag.PLANE_POSITION_SEQUENCE, new DataSet().decimals(Tag.IMAGE_POSITION_PATIENT, 0, 0, 0));
        }
        return frame;
    }

    /** The source instance as a reference item. */
    private DataSet sourceReference() {
        DicomInstance.Instance from = source.instance().instance();
        return new DataSet().text(Tag.REFERENCED_SOP_CLASS_UID, Vr.UI, from.sopClassUid())
                .text(Tag.REFERENCED_SOP_INSTANCE_UID, Vr.UI, from.sopInstanceUid());
    }

    /** Image Comments: what made the instance, and what the algorithm measured and found. */
    private String comments() {
        StringBuilder text = new StringBuilder();
        text.append("Derived by ").append(derivation.describe()).append(" from ")
                .append(source.instance().instance().sopInstanceUid()).append(" frame ").append(source.frame() + 1);
        if (!derivation.pluginSha256().isEmpty()) {
            text.append("\r\nPlugin SHA-256: ").append(derivation.pluginSha256());
        }
        for (Measurement m : derivation.measurements()) {
            text.append("\r\nMeasurement: ").append(measurement(m));
        }
        for (Finding finding : derivation.findings()) {
            text.append("\r\nFinding: ").append(oneLine(finding.label()));
            String separator = ": ";
            for (Measurement m : finding.measurements()) {
                text.append(separator).append(measurement(m));
                separator = ", ";
            }
        }
        return text.toString();
    }

    private static String measurement(Measurement m) {
        return oneLine(m.name()) + " = " + m.value() + (m.unit().isEmpty() ? "" : " " + oneLine(m.unit()));
    }

    /** A plugin's text on one line of Image Comments: its own line breaks would read as other entries. */
    private static String oneLine(String text) {
        return text.replaceAll("[\\r\\n]+", " ");
    }

    private static boolean sameSpacing(ImageMetadata meta, DicomInstance.ImageAttributes from) {
        boolean unknown = !Double.isFinite(meta.rowSpacing()) && !Double.isFinite(from.rowSpacing());
        return unknown || meta.rowSpacing() == from.rowSpacing() && meta.columnSpacing() == from.columnSpacing();
    }

    private static Vr vrOf(int tag) {
        return switch (tag) {
            case Tag.PATIENT_NAME, Tag.REFERRING_PHYSICIAN_NAME -> Vr.PN;
            case Tag.PATIENT_ID -> Vr.LO;
            case Tag.PATIENT_BIRTH_DATE, Tag.STUDY_DATE -> Vr.DA;
            case Tag.PATIENT_SEX -> Vr.CS;
            case Tag.STUDY_TIME -> Vr.TM;
            default -> Vr.SH;
        };
    }
}
