package org.panacea.plugins.imaging.recognition;

import java.io.IOException;
import java.io.InputStream;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import java.util.zip.GZIPInputStream;

/** The test resources of {@code blobs/} (see their README and {@code make_blob_reference.py}). */
final class BlobReference {

    private BlobReference() {
    }

    static byte[] resource(String name) throws IOException {
        try (InputStream raw = BlobReference.class.getResourceAsStream("/blobs/" + name)) {
            if (raw == null) {
                throw new IOException("no test resource " + name);
            }
            return (name.endsWith(".gz") ? new GZIPInputStream(raw) : raw).readAllBytes();
        }
    }

    /** CT_small's stored values. */
    static short[] ctSmallStored() throws IOException {
        short[] stored = new short[128 * 128];
        ByteBuffer.wrap(resource("ct_small_int16_le.raw")).order(ByteOrder.LITTLE_ENDIAN).asShortBuffer().get(stored);
        return stored;
    }

    /** CT_small in HU, as the reference script gave it to blob_log. */
    static double[] ctSmallHu() throws IOException {
        short[] stored = ctSmallStored();
        double[] hu = new double[stored.length];
        for (int i = 0; i < hu.length; i++) {
            hu[i] = stored[i] - 1024.0;
        }
        return hu;
    }

    /** The synthetic 160x120 image, float32 as written by the script. */
    static float[] synthetic() throws IOException {
        float[] values = new float[160 * 120];
        ByteBuffer.wrap(resource("synthetic_160x120_f32le.raw.gz")).order(ByteOrder.LITTLE_ENDIAN).asFloatBuffer()
                .get(values);
        return values;
    }

    static double[] widen(float[] values) {
        double[] wide = new double[values.length];
        for (int i = 0; i < wide.length; i++) {
            wide[i] = values[i];
        }
        return wide;
    }

    /** The blobs of one reference case, sorted by row, column, sigma. */
    static List<Blob> blobs(String csvName) throws IOException {
        List<Blob> blobs = new ArrayList<>();
        for (String line : new String(resource(csvName), StandardCharsets.UTF_8).split("\n")) {
            if (line.isBlank() || line.startsWith("\"#") || line.startsWith("#") || line.startsWith("row")) {
                continue;
            }
            String[] f = line.split(",");
            blobs.add(new Blob(Integer.parseInt(f[0]), Integer.parseInt(f[1]), Double.parseDouble(f[2]),
                    Double.parseDouble(f[3])));
        }
        return blobs;
    }
}
