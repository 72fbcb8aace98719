package org.panacea.records.internal.images;

import java.io.IOException;
import java.io.InputStream;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;

import org.panacea.api.imaging.Image;
import org.panacea.api.imaging.ImageMetadata;
import org.panacea.api.imaging.Pixels;

import com.fasterxml.jackson.databind.JsonNode;

/**
 * How an image made by an algorithm is stored: its samples little endian, one after the other, described by its
 * sealed metadata (pixel type, modality, spacing, rescale, window, bits stored, source).
 */
final class DerivedPixels {

    private DerivedPixels() {
    }

    /** The pixel type as the metadata names it. */
    static String type(Pixels pixels) {
        if (pixels instanceof Pixels.Gray8) {
            return "gray8";
        }
        if (pixels instanceof Pixels.Gray16 gray16) {
            return gray16.signed() ? "gray16s" : "gray16u";
        }
        return "float32";
    }

    static void write(Pixels pixels, ChunkWriter out) {
        // Little-endian samples, written in chunk-sized slices: no second full copy of the image.
        int bytesPerSample = pixels instanceof Pixels.Gray8 ? 1 : pixels instanceof Pixels.Gray16 ? 2 : 4;
        int perSlice = BinaryChunkRow.CHUNK_BYTES / bytesPerSample;
        ByteBuffer slice = ByteBuffer.allocate(perSlice * bytesPerSample).order(ByteOrder.LITTLE_ENDIAN);
        for (int start = 0; start < pixels.length(); start += perSlice) {
            int end = Math.min(pixels.length(), start + perSlice);
            slice.clear();
            if (pixels instanceof Pixels.Gray8 gray8) {
                slice.put(gray8.values(), start, end - start);
            } else if (pixels instanceof Pixels.Gray16 gray16) {
                slice.asShortBuffer().put(gray16.values(), start, end - start);
                slice.position((end - start) * 2);
            } else {
                slice.asFloatBuffer().put(((Pixels.Float32) pixels).values(), start, end - start);
                slice.position((end - start) * 4);
            }
            out.write(slice.array(), 0, slice.position());
        }
    }

    static Image read(InputStream in, ImageInstanceRow row, JsonNode metadata) throws IOException {
        int n = row.width() * row.height();
        byte[] bytes = in.readNBytes((int) row.byteCount());
        ByteBuffer buffer = ByteBuffer.wrap(bytes).order(ByteOrder.LITTLE_ENDIAN);
        Pixels pixels;
        switch (metadata.path("pixels").asText()) {
            case "gray8" -> pixels = new Pixels.Gray8(bytes);
            case "gray16s", "gray16u" -> {
                short[] values = new short[n];
                buffer.asShortBuffer().get(values);
                pixels = new Pixels.Gray16(values, metadata.path("pixels").asText().equals("gray16s"));
            }
            default -> {
                float[] values = new float[n];
                buffer.asFloatBuffer().get(values);
                pixels = new Pixels.Float32(values);
            }
        }
        ImageMetadata meta = new ImageMetadata(metadata.path("modality").asText(), number(metadata, "rowSpacing"),
                number(metadata, "columnSpacing"), number(metadata, "rescaleSlope"),
                number(metadata, "rescaleIntercept"), metadata.path("rescaleUnit").asText(),
                number(metadata, "windowCenter"), number(metadata, "windowWidth"), metadata.path("bitsStored").asInt(),
                metadata.path("derivedFrom").asText(), metadata.path("photometricInterpretation").asText());
        return new Image(row.width(), row.height(), pixels, meta);
    }

    private static double number(JsonNode metadata, String field) {
        JsonNode value = metadata.get(field);
        return value == null || !value.isNumber() ? Double.NaN : value.asDouble();
    }
}
