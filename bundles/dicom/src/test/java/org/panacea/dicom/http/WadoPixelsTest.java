package org.panacea.dicom.http;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.List;
import java.util.Map;

import org.junit.jupiter.api.Test;
import org.panacea.api.imaging.ArchivedInstance;
import org.panacea.api.imaging.Image;
import org.panacea.api.imaging.ImageMetadata;
import org.panacea.api.imaging.Pixels;

/** The metadata describes exactly the frames that are sent: layout, sign, rescale, window, spacing. */
class WadoPixelsTest {

    private static final ArchivedInstance CT = new ArchivedInstance("p1", "s1", "1.2.3", "1.2.3.4", "1.2.3.4.5", "CT",
            3, 2, 1, "");

    @SuppressWarnings("unchecked")
    private static Object value(Map<String, Object> dataset, String tag) {
        Map<String, Object> attribute = (Map<String, Object>) dataset.get(tag);
        assertTrue(attribute != null, "attribute " + tag);
        List<Object> values = (List<Object>) attribute.get("Value");
        return values == null ? null : values.size() == 1 ? values.get(0) : values;
    }

    @Test
    void signedSixteenBitCtIsDescribedAsItsFramesAreSent() {
        Image image = new Image(3, 2, new Pixels.Gray16(new short[] { -1024, 0, 1, 2, 3, 32767 }, true),
                new ImageMetadata("CT", 0.5, 0.25, 1, -1024, "HU", 40, 400, 12, "1.2.3.4.5"));
        Map<String, Object> dataset = WadoPixels.metadata(CT, image, "1.2.840.10008.5.1.4.1.1.2", "http://h/x");
        assertEquals(2, value(dataset, "00280010"));
        assertEquals(3, value(dataset, "00280011"));
        assertEquals(16, value(dataset, "00280100"));
        assertEquals(12, value(dataset, "00280101"));
        assertEquals(11, value(dataset, "00280102"));
        assertEquals(1, value(dataset, "00280103"));
        assertEquals("MONOCHROME2", value(dataset, "00280004"));
        assertEquals(-1024.0, value(dataset, "00281052"));
        assertEquals(1.0, value(dataset, "00281053"));
        assertEquals(List.of(0.5, 0.25), value(dataset, "00280030"));
        assertEquals(40.0, value(dataset, "00281050"));
        assertEquals("1.2.840.10008.5.1.4.1.1.2", value(dataset, "00080016"));
        assertEquals("http://h/x/frames/1", ((Map<?, ?>) dataset.get("7FE00010")).get("BulkDataURI"));
        // Little endian, row by row.
        assertArrayEquals(new byte[] { 0, (byte) 0xFC, 0, 0, 1, 0, 2, 0, 3, 0, (byte) 0xFF, 0x7F },
                WadoPixels.frame(image));
    }

    @Test
    void eightBitImagesAreUnsignedBytesAndRealImagesAreLittleEndianFloats() {
        Image gray = new Image(3, 2, new Pixels.Gray8(new byte[] { 0, 1, 2, 3, 4, (byte) 255 }),
                ImageMetadata.unknown(8).withPhotometricInterpretation(ImageMetadata.MONOCHROME1));
        Map<String, Object> dataset = WadoPixels.metadata(CT, gray, "1.2.840.10008.5.1.4.1.1.7", "u");
        assertEquals(8, value(dataset, "00280100"));
        assertEquals(0, value(dataset, "00280103"));
        assertEquals("MONOCHROME1", value(dataset, "00280004"));
        assertFalse(dataset.containsKey("00280030"), "no spacing when unknown");
        assertArrayEquals(new byte[] { 0, 1, 2, 3, 4, (byte) 255 }, WadoPixels.frame(gray));
        Image real = new Image(2, 1, new Pixels.Float32(new float[] { 0.5f, -1024.25f }), ImageMetadata.unknown(32));
        Map<String, Object> realMetadata = WadoPixels.metadata(CT, real, "", "u");
        assertFalse(realMetadata.containsKey("7FE00010"));
        assertEquals("u/frames/1", ((Map<?, ?>) realMetadata.get("7FE00008")).get("BulkDataURI"));
        assertEquals(32, value(realMetadata, "00280100"));
        java.nio.ByteBuffer floats = java.nio.ByteBuffer.wrap(WadoPixels.frame(real))
                .order(java.nio.ByteOrder.LITTLE_ENDIAN);
        assertEquals(8, floats.remaining());
        assertEquals(0.5f, floats.getFloat());
        assertEquals(-1024.25f, floats.getFloat());
    }

    @Test
    void frameListsAreCheckedAgainstTheFrameCount() {
        assertEquals(List.of(1, 3, 2), WadoPixels.frameNumbers("1,3,2", 3));
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class,
                () -> WadoPixels.frameNumbers("1,4", 3));
        assertTrue(e.getMessage().contains("frame 4 does not exist: the instance has 3 frames"), e.getMessage());
        assertThrows(IllegalArgumentException.class, () -> WadoPixels.frameNumbers("0", 3));
    }
}
