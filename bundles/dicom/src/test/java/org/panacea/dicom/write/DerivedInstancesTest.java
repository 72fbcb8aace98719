package org.panacea.dicom.write;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.List;

import org.junit.jupiter.api.Test;
import org.panacea.api.imaging.Image;
import org.panacea.api.imaging.ImageMetadata;
import org.panacea.api.imaging.Pixels;
import org.panacea.dicom.read.DicomInstance;

/** Round trips of the derived instances through Panacea's own reader: what is written is what is read back. */
class DerivedInstancesTest {

    @Test
    void aMaskBecomesASegmentationOfOneBitFramesInTheSourcesStudy() {
        SourceImage source = DerivedSamples.source("CT_small.dcm", 0);
        Image mask = DerivedSamples.mask(source, 1100);
        DerivedInstances.Written seg = DerivedInstances.write(source, mask,
                DerivedSamples.derivation("imaging.otsu-threshold", "Otsu threshold"), DerivedSamples.EQUIPMENT,
                DerivedSamples.CREATED);

        assertEquals(DerivedInstances.Kind.SEGMENTATION, seg.kind());
        DicomInstance read = DerivedSamples.read(seg.part10());
        assertEquals(DerivedInstances.SEGMENTATION_STORAGE, read.instance().sopClassUid());
        assertEquals(seg.sopInstanceUid(), read.instance().sopInstanceUid());
        assertEquals("SEG", read.series().modality());
        assertEquals(1, read.image().bitsAllocated());
        DicomInstance ct = source.instance();
        assertEquals(ct.study().instanceUid(), read.study().instanceUid(), "the source's study");
        assertNotEquals(ct.series().instanceUid(), read.series().instanceUid(), "a series of its own");
        assertEquals(ct.patient(), read.patient(), "the source's patient, as stored");
        assertEquals(ct.image().rowSpacing(), read.image().rowSpacing(), "spacing in the shared functional groups");
        byte[] bits = ((Pixels.Gray8) read.frames().get(0)).values();
        byte[] expected = ((Pixels.Gray8) mask.pixels()).values();
        int foreground = 0;
        for (int i = 0; i < expected.length; i++) {
            assertEquals(expected[i] != 0 ? 1 : 0, bits[i], "pixel " + i);
            foreground += bits[i];
        }
        assertTrue(foreground > 100 && foreground < expected.length - 100, "a real mask: " + foreground);
        assertTrue(seg.sopInstanceUid().startsWith(Uids.ROOT + "."), seg.sopInstanceUid());
    }

    @Test
    void realValuesBecomeAParametricMapBitForBitWithTheirUnit() {
        SourceImage source = DerivedSamples.source("CT_small.dcm", 0);
        Image real = DerivedSamples.real(source);
        DerivedInstances.Written map = DerivedInstances.write(source, real,
                DerivedSamples.derivation("imaging.gaussian-blur", "Gaussian blur"), DerivedSamples.EQUIPMENT,
                DerivedSamples.CREATED);

        assertEquals(DerivedInstances.Kind.PARAMETRIC_MAP, map.kind());
        DicomInstance read = DerivedSamples.read(map.part10());
        assertEquals(DerivedInstances.PARAMETRIC_MAP_STORAGE, read.instance().sopClassUid());
        assertEquals("CT", read.series().modality());
        float[] written = ((Pixels.Float32) real.pixels()).values();
        float[] back = ((Pixels.Float32) read.frames().get(0)).values();
        for (int i = 0; i < written.length; i++) {
            assertEquals(Float.floatToRawIntBits(written[i]), Float.floatToRawIntBits(back[i]), "sample " + i);
        }
        ImageMetadata meta = read.metadata();
        assertEquals(-1024, meta.rescaleIntercept(), "the real world value mapping is the rescale");
        assertEquals(1, meta.rescaleSlope());
        assertEquals("HU", meta.rescaleUnit(), "UCUM [hnsf'U] read as HU");
    }

    @Test
    void sixteenBitOutputsBecomeIntegerParametricMapsAndKeepTheirSign() {
        SourceImage source = DerivedSamples.source("MR_small.dcm", 0);
        Image frame = source.instance().frame(0);
        short[] values = ((Pixels.Gray16) frame.pixels()).values().clone();
        values[0] = -5;
        Image filtered = new Image(frame.width(), frame.height(), new Pixels.Gray16(values, true),
                ImageMetadata.unknown(16));
        DerivedInstances.Written map = DerivedInstances.write(source, filtered,
                DerivedSamples.derivation("imaging.median", "Median"), DerivedSamples.EQUIPMENT,
                DerivedSamples.CREATED);

        DicomInstance read = DerivedSamples.read(map.part10());
        assertEquals(DerivedInstances.PARAMETRIC_MAP_STORAGE, read.instance().sopClassUid());
        assertArrayEquals(values, ((Pixels.Gray16) read.frames().get(0)).values());
        assertEquals("", read.metadata().rescaleUnit());
    }

    @Test
    void onlyUnscaledEightBitImagesWithOneForegroundValueAreMasks() {
        ImageMetadata unscaled = ImageMetadata.unknown(8);
        assertEquals(DerivedInstances.Kind.SEGMENTATION, DerivedInstances.kindOf(new Image(2, 2,
                new Pixels.Gray8(new byte[] { 0, (byte) 255, (byte) 255, 0 }), unscaled)));
        assertEquals(DerivedInstances.Kind.SEGMENTATION, DerivedInstances.kindOf(new Image(2, 1,
                new Pixels.Gray8(new byte[] { 0, 0 }), unscaled)), "an empty mask is still a mask");
        assertEquals(DerivedInstances.Kind.PARAMETRIC_MAP, DerivedInstances.kindOf(new Image(3, 1,
                new Pixels.Gray8(new byte[] { 0, 1, 2 }), unscaled)), "three values: an image");
        assertEquals(DerivedInstances.Kind.PARAMETRIC_MAP, DerivedInstances.kindOf(new Image(2, 1,
                new Pixels.Gray8(new byte[] { 0, 1 }), unscaled.withRescale(1, -1024, "HU"))), "scaled: values");
        assertEquals(DerivedInstances.Kind.PARAMETRIC_MAP, DerivedInstances.kindOf(new Image(2, 1,
                new Pixels.Float32(new float[] { 0, 1 }), unscaled)));
    }

    @Test
    void aMultiFrameSourceIsReferencedByFrameAndNotPlacedOnItsGrid() {
        SourceImage dose = DerivedSamples.source("rtdose.dcm", 3);
        DerivedInstances.Written seg = DerivedInstances.write(dose, DerivedSamples.mask(dose, 100),
                DerivedSamples.derivation("imaging.threshold", "Threshold"), DerivedSamples.EQUIPMENT,
                DerivedSamples.CREATED);
        DicomInstance read = DerivedSamples.read(seg.part10());
        assertEquals(1, read.frames().size());
        assertEquals(dose.instance().study().instanceUid(), read.study().instanceUid());
    }

    @Test
    void floatPixelDataTheReaderCannotTakeIsRefusedByName() {
        SourceImage source = DerivedSamples.source("CT_small.dcm", 0);
        byte[] map = DerivedInstances.write(source, DerivedSamples.real(source),
                DerivedSamples.derivation("imaging.gaussian-blur", "Gaussian blur"), DerivedSamples.EQUIPMENT,
                DerivedSamples.CREATED).part10();
        int at = indexOf(map, new byte[] { (byte) 0xE0, 0x7F, 0x08, 0x00, 'O', 'F' });
        assertTrue(at > 0);

        byte[] truncated = java.util.Arrays.copyOf(map, map.length - 1000);
        var cut = org.junit.jupiter.api.Assertions.assertThrows(org.panacea.dicom.read.DicomFormatException.class,
                () -> new org.panacea.dicom.read.DicomReader().read(new java.io.ByteArrayInputStream(truncated),
                        truncated.length));
        assertTrue(cut.getMessage().contains("(7FE0,0008)"), cut.getMessage());

        byte[] doubles = map.clone();
        doubles[at + 2] = 0x09;
        doubles[at + 5] = 'D';
        var refused = org.junit.jupiter.api.Assertions.assertThrows(
                org.panacea.dicom.read.DicomFormatException.class,
                () -> new org.panacea.dicom.read.DicomReader().read(new java.io.ByteArrayInputStream(doubles),
                        doubles.length));
        assertTrue(refused.getMessage().contains("double float pixel data (64-bit) is not supported"),
                refused.getMessage());
    }

    private static int indexOf(byte[] data, byte[] part) {
        outer:
        for (int i = 0; i + part.length <= data.length; i++) {
            for (int j = 0; j < part.length; j++) {
                if (data[i + j] != part[j]) {
                    continue outer;
                }
            }
            return i;
        }
        return -1;
    }

    @Test
    void pluginAndUserTextsCannotBreakTheEncodingOrForgeCommentLines() {
        SourceImage source = DerivedSamples.source("CT_small.dcm", 0);
        DerivedInstances.Written seg = DerivedInstances.write(source, DerivedSamples.mask(source, 1100),
                DerivedSamples.hostile(), DerivedSamples.EQUIPMENT, DerivedSamples.CREATED);
        DicomInstance read = DerivedSamples.read(seg.part10());
        assertEquals(1, read.frames().size(), "still a valid file");
        String file = new String(seg.part10(), java.nio.charset.StandardCharsets.ISO_8859_1);
        assertFalse(file.contains("\u0000\r\nwith"), "control characters replaced");
        assertFalse(file.contains("É"), "only the default repertoire is written");
        assertFalse(file.contains("\r\nFinding: forged"), "a measurement name cannot add a line to Image Comments");
        assertTrue(file.contains("Finding: r?gion? x"), "the plugin's finding, on its own line");
    }

    @Test
    void decimalStringsFitSixteenCharacters() {
        for (double value : new double[] { 0.810547, -1024, 1e-7, 123456789.123456789, Math.PI, -0.000123456789,
                1.234567890123E200 }) {
            String text = DataSet.decimal(value);
            assertTrue(text.length() <= 16, text);
            assertEquals(value, Double.parseDouble(text), Math.abs(value) * 1e-9, text);
        }
        assertEquals("0.810547", DataSet.decimal(0.810547));
        assertEquals("-1024", DataSet.decimal(-1024));
    }

    @Test
    void everyValueIsPaddedToEvenLengthWithItsVrsPadding() {
        DataSet data = new DataSet().text(Tag.SOP_INSTANCE_UID, org.panacea.dicom.read.Vr.UI, "1.2.3")
                .text(Tag.MODALITY, org.panacea.dicom.read.Vr.CS, "SEG")
                .text(Tag.PATIENT_ID, org.panacea.dicom.read.Vr.LO, "");
        byte[] encoded = Part10.encode(data);
        // (0008,0018) UI length 6: "1.2.3" and a NUL; (0008,0060) CS length 4: "SEG" and a space; (0010,0020) empty.
        assertEquals(8 + 6 + 8 + 4 + 8, encoded.length);
        assertEquals(6, encoded[6]);
        assertEquals(0, encoded[8 + 5]);
        assertEquals(4, encoded[14 + 6]);
        assertEquals(' ', encoded[14 + 8 + 3]);
        assertFalse(new String(encoded, java.nio.charset.StandardCharsets.ISO_8859_1).contains("SEG\0"));
        assertTrue(List.of(Tag.SOP_INSTANCE_UID, Tag.MODALITY, Tag.PATIENT_ID).equals(data.tags()), "tag order");
    }
}
