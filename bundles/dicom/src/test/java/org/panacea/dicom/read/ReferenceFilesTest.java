package org.panacea.dicom.read;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.ByteArrayInputStream;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.security.MessageDigest;
import java.time.format.DateTimeFormatter;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.HexFormat;
import java.util.List;
import java.util.Map;
import java.util.stream.Stream;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.MethodSource;
import org.panacea.api.imaging.Image;
import org.panacea.api.imaging.ImageMetadata;
import org.panacea.api.imaging.Pixels;

/**
 * Every readable sample against pydicom 2.3.1 (attributes.tsv, pixels.tsv; see the resources' README): attributes
 * exactly, every sample exactly (SHA-256 of all values), with min, max and sum to make a difference readable.
 */
class ReferenceFilesTest {

    private static final List<String[]> ATTRIBUTES = Samples.table("attributes.tsv");
    private static final Map<String, Integer> COLUMN = new HashMap<>();

    static {
        String[] header = ATTRIBUTES.get(0);
        for (int i = 0; i < header.length; i++) {
            COLUMN.put(header[i], i);
        }
    }

    private final DicomReader reader = new DicomReader();

    static Stream<String> readableFiles() {
        return ATTRIBUTES.stream().skip(1).map(row -> row[0]);
    }

    private static String expected(String file, String column) {
        for (String[] row : ATTRIBUTES) {
            if (row[0].equals(file)) {
                return row[COLUMN.get(column)];
            }
        }
        throw new IllegalArgumentException(file);
    }

    private static double expectedNumber(String file, String column) {
        String text = expected(file, column);
        return "nan".equals(text) ? Double.NaN : Double.parseDouble(text);
    }

    @ParameterizedTest
    @MethodSource("readableFiles")
    void attributesMatchPydicom(String file) throws Exception {
        DicomInstance dicom = reader.read(Samples.path(file));
        var image = dicom.image();
        assertEquals(expected(file, "transfer_syntax"), dicom.transferSyntaxUid());
        assertEquals(Integer.parseInt(expected(file, "rows")), image.rows());
        assertEquals(Integer.parseInt(expected(file, "columns")), image.columns());
        assertEquals(Integer.parseInt(expected(file, "frames")), image.numberOfFrames());
        assertEquals(image.numberOfFrames(), dicom.frames().size());
        assertEquals(Integer.parseInt(expected(file, "samples_per_pixel")), image.samplesPerPixel());
        assertEquals(expected(file, "photometric"), image.photometricInterpretation());
        assertEquals(Integer.parseInt(expected(file, "bits_allocated")), image.bitsAllocated());
        assertEquals(Integer.parseInt(expected(file, "bits_stored")), image.bitsStored());
        assertEquals(Integer.parseInt(expected(file, "high_bit")), image.highBit());
        assertEquals(Integer.parseInt(expected(file, "pixel_representation")), image.pixelRepresentation());
        // Both sides parse the same decimal strings: equal to the last bit.
        assertEquals(expectedNumber(file, "rescale_slope"), image.rescaleSlope(), 0);
        assertEquals(expectedNumber(file, "rescale_intercept"), image.rescaleIntercept(), 0);
        assertEquals(expected(file, "rescale_unit"), image.rescaleUnit());
        assertEquals(expectedNumber(file, "window_center"), image.windowCenter(), 0);
        assertEquals(expectedNumber(file, "window_width"), image.windowWidth(), 0);
        assertEquals(expectedNumber(file, "row_spacing"), image.rowSpacing(), 0);
        assertEquals(expectedNumber(file, "column_spacing"), image.columnSpacing(), 0);
        assertEquals(expected(file, "modality"), dicom.series().modality());
        assertEquals(expected(file, "patient_name"), dicom.patient().name());
        assertEquals(expected(file, "patient_id"), dicom.patient().id());
        assertEquals(acrNemaDateAsDicom(expected(file, "birth_date")), date(dicom.patient().birthDate()));
        assertEquals(expected(file, "sex"), dicom.patient().sex());
        assertEquals(expected(file, "study_uid"), dicom.study().instanceUid());
        assertEquals(acrNemaDateAsDicom(expected(file, "study_date")), date(dicom.study().date()));
        assertEquals(expected(file, "study_description"), dicom.study().description());
        assertEquals(expected(file, "accession"), dicom.study().accessionNumber());
        assertEquals(expected(file, "series_uid"), dicom.series().instanceUid());
        assertEquals(expected(file, "series_number"), number(dicom.series().number()));
        assertEquals(expected(file, "series_description"), dicom.series().description());
        assertEquals(expected(file, "sop_class"), dicom.instance().sopClassUid());
        assertEquals(expected(file, "sop_instance"), dicom.instance().sopInstanceUid());
        assertEquals(expected(file, "instance_number"), number(dicom.instance().number()));
    }

    @ParameterizedTest
    @MethodSource("readableFiles")
    void everySampleMatchesPydicom(String file) throws Exception {
        DicomInstance dicom = reader.read(Samples.path(file));
        List<String[]> expected = new ArrayList<>();
        for (String[] row : Samples.table("pixels.tsv")) {
            if (row[0].equals(file)) {
                expected.add(row);
            }
        }
        assertEquals(expected.size(), dicom.frames().size());
        for (String[] row : expected) {
            int frame = Integer.parseInt(row[1]);
            Pixels pixels = dicom.frames().get(frame);
            assertEquals(dicom.image().rows() * dicom.image().columns(), pixels.length());
            long min = Long.MAX_VALUE;
            long max = Long.MIN_VALUE;
            long sum = 0;
            ByteBuffer values = ByteBuffer.allocate(8 * pixels.length()).order(ByteOrder.LITTLE_ENDIAN);
            for (int i = 0; i < pixels.length(); i++) {
                long value = (long) pixels.sample(i);
                assertEquals(value, pixels.sample(i), 0, "integer sample");
                min = Math.min(min, value);
                max = Math.max(max, value);
                sum += value;
                values.putLong(value);
            }
            String where = file + " frame " + frame;
            assertEquals(Long.parseLong(row[2]), min, where + " min");
            assertEquals(Long.parseLong(row[3]), max, where + " max");
            assertEquals(Long.parseLong(row[4]), sum, where + " sum");
            String digest = HexFormat.of().formatHex(MessageDigest.getInstance("SHA-256").digest(values.array()));
            assertEquals(row[5], digest, where + ": some sample differs from pydicom's");
        }
    }

    @ParameterizedTest
    @MethodSource("readableFiles")
    void samplesHaveTheDocumentedType(String file) throws Exception {
        DicomInstance dicom = reader.read(Samples.path(file));
        var image = dicom.image();
        for (Pixels frame : dicom.frames()) {
            if (image.bitsAllocated() == 32) {
                assertInstanceOf(Pixels.Float32.class, frame);
            } else if (image.bitsAllocated() == 16) {
                Pixels.Gray16 grey = assertInstanceOf(Pixels.Gray16.class, frame);
                assertEquals(image.samplesPerPixel() == 1 && image.pixelRepresentation() == 1, grey.signed());
            } else {
                assertInstanceOf(Pixels.Gray8.class, frame);
            }
        }
    }

    @ParameterizedTest
    @MethodSource("readableFiles")
    void aStreamOfUnknownLengthReadsTheSame(String file) throws Exception {
        DicomInstance fromFile = reader.read(Samples.path(file));
        DicomInstance fromStream = reader.read(new ByteArrayInputStream(Samples.bytes(file)), -1);
        assertEquals(fromFile.image(), fromStream.image());
        assertEquals(fromFile.patient(), fromStream.patient());
        for (int f = 0; f < fromFile.frames().size(); f++) {
            for (int i = 0; i < fromFile.frames().get(f).length(); i++) {
                assertEquals(fromFile.frames().get(f).sample(i), fromStream.frames().get(f).sample(i));
            }
        }
    }

    @Test
    void mrSmallGivesIdenticalPixelsInEveryEncoding() throws Exception {
        short[] reference = ((Pixels.Gray16) reader.read(Samples.path("MR_small.dcm")).frames().get(0)).values();
        for (String file : List.of("MR_small_implicit.dcm", "MR_small_bigendian.dcm", "MR_small_RLE.dcm",
                "MR_small_padded.dcm")) {
            Pixels.Gray16 pixels = (Pixels.Gray16) reader.read(Samples.path(file)).frames().get(0);
            assertTrue(pixels.signed(), file);
            assertArrayEquals(reference, pixels.values(), file);
        }
    }

    @Test
    void rtDoseIsFifteenFloatFramesWithTheDoseGridScalingAsRescale() throws Exception {
        for (String file : List.of("rtdose.dcm", "rtdose_expb.dcm", "rtdose_rle.dcm")) {
            DicomInstance dose = reader.read(Samples.path(file));
            assertEquals(15, dose.frames().size(), file);
            ImageMetadata metadata = dose.metadata();
            assertEquals(1e-6, metadata.rescaleSlope(), 0, file);
            assertEquals("relative", metadata.rescaleUnit(), file);
            assertEquals(32, metadata.bitsStored(), file);
            // Float32 holds these 32-bit samples exactly (all below 2^24): frame 0 peaks at 1254000, i.e. 1.254.
            Pixels.Float32 first = (Pixels.Float32) dose.frames().get(0);
            double peak = 0;
            for (float value : first.values()) {
                peak = Math.max(peak, value);
            }
            assertEquals(1254000, peak, 0, file);
            assertEquals(1.254, peak * metadata.rescaleSlope() + metadata.rescaleIntercept(), 1e-12, file);
        }
    }

    @Test
    void ctSmallMapsToImagingMetadataInHounsfieldUnits() throws Exception {
        DicomInstance ct = reader.read(Samples.path("CT_small.dcm"));
        Image image = ct.frame(0);
        assertEquals(128, image.width());
        assertEquals(128, image.height());
        ImageMetadata metadata = image.metadata();
        assertEquals("CT", metadata.modality());
        assertEquals(1, metadata.rescaleSlope());
        assertEquals(-1024, metadata.rescaleIntercept());
        assertEquals("HU", metadata.rescaleUnit());
        assertEquals(16, metadata.bitsStored());
        assertEquals(0.661468, metadata.rowSpacing(), 0);
        assertEquals(0.661468, metadata.columnSpacing(), 0);
        assertEquals(ct.instance().sopInstanceUid(), metadata.sourceInstanceUid());
        assertEquals("1.3.6.1.4.1.5962.1.1.1.1.1.20040119072730.12322", metadata.sourceInstanceUid());
    }

    @Test
    void decimalRescaleAndTwelveBitSamples() throws Exception {
        DicomInstance mr = reader.read(Samples.path("nibabel_decimal_rescale.dcm"));
        assertEquals(2.0, mr.metadata().rescaleSlope());
        assertEquals(-4096.0, mr.metadata().rescaleIntercept());
        assertEquals(12, mr.metadata().bitsStored());
        assertEquals(96, mr.frame(0).height());
        assertEquals(128, mr.frame(0).width());
    }

    private static String date(java.time.LocalDate date) {
        return date == null ? "" : date.format(DateTimeFormatter.BASIC_ISO_DATE);
    }

    /** pydicom keeps an old ACR-NEMA date ({@code 1997.04.24}) as written; the reader parses it as the same day. */
    private static String acrNemaDateAsDicom(String date) {
        return date.replace(".", "");
    }

    private static String number(Integer number) {
        return number == null ? "" : number.toString();
    }
}
