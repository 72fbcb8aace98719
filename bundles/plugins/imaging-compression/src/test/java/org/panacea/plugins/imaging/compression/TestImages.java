package org.panacea.plugins.imaging.compression;

import java.io.IOException;
import java.io.InputStream;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.util.zip.GZIPInputStream;

import org.panacea.api.imaging.Image;
import org.panacea.api.imaging.ImageMetadata;
import org.panacea.api.imaging.Pixels;

/** The real images of the test resources (see their README), with the metadata of their DICOM files. */
final class TestImages {

    private TestImages() {
    }

    static byte[] resource(String name) throws IOException {
        try (InputStream raw = TestImages.class.getResourceAsStream("/images/" + name)) {
            if (raw == null) {
                throw new IOException("no test resource " + name);
            }
            InputStream in = name.endsWith(".gz") ? new GZIPInputStream(raw) : raw;
            return in.readAllBytes();
        }
    }

    private static short[] littleEndianShorts(byte[] bytes) {
        short[] values = new short[bytes.length / 2];
        ByteBuffer.wrap(bytes).order(ByteOrder.LITTLE_ENDIAN).asShortBuffer().get(values);
        return values;
    }

    /** CT_small: CT 128x128, signed 16-bit, HU = stored - 1024. */
    static Image ctSmall() throws IOException {
        return new Image(128, 128, new Pixels.Gray16(littleEndianShorts(resource("ct_small_int16_le.raw")), true),
                new ImageMetadata("CT", 0.661468, 0.661468, 1, -1024, "HU", Double.NaN, Double.NaN, 16,
                        "1.3.6.1.4.1.5962.1.1.1.1.1.20040119072730.12322"));
    }

    /** MR_small: MR 64x64, signed 16-bit. */
    static Image mrSmall() throws IOException {
        return new Image(64, 64, new Pixels.Gray16(littleEndianShorts(resource("mr_small_int16_le.raw")), true),
                new ImageMetadata("MR", 0.3125, 0.3125, 1, 0, "", Double.NaN, Double.NaN, 16,
                        "1.3.6.1.4.1.5962.1.1.4.1.1.20040826185059.5457"));
    }

    /** nibabel's MR 256x256, unsigned 16-bit with 12 bits stored. */
    static Image mr256() throws IOException {
        return new Image(256, 256,
                new Pixels.Gray16(littleEndianShorts(resource("nibabel_mr_256_uint16_le.raw.gz")), false),
                new ImageMetadata("MR", 1.796875, 1.796875, 1, 0, "", Double.NaN, Double.NaN, 12,
                        "1.3.12.2.1107.5.2.32.35119.2010011420300180088599504.0"));
    }

    /** nibabel's slicethickness_empty_string.dcm: a real MR angiography MIP, 384x384, 12 bits stored. */
    static Image mrAngio384() throws IOException {
        return new Image(384, 384,
                new Pixels.Gray16(littleEndianShorts(resource("mr_angio_384_uint16_le.raw.gz")), false),
                new ImageMetadata("MR", 0.520833, 0.520833, 1, 0, "", Double.NaN, Double.NaN, 12, 
                        "1.3.12.2.1107.5.2.43.66044.30000015102315441754900001777"));
    }

    /** pydicom's image_dfl: 8-bit 512x512 secondary capture. */
    static Image gray8() throws IOException {
        return new Image(512, 512, new Pixels.Gray8(resource("image_dfl_uint8.raw.gz")),
                new ImageMetadata("OT", Double.NaN, Double.NaN, 1, 0, "", Double.NaN, Double.NaN, 8,
                        "1.3.6.1.4.1.5962.1.1.0.0.0.977067309.6001.0"));
    }
}
