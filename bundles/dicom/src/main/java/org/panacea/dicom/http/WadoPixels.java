package org.panacea.dicom.http;

import static org.panacea.dicom.http.DicomJson.attribute;
import static org.panacea.dicom.http.DicomJson.put;

import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;

import org.panacea.api.imaging.ArchivedInstance;
import org.panacea.api.imaging.Image;
import org.panacea.api.imaging.ImageMetadata;
import org.panacea.api.imaging.Pixels;

/**
 * WADO-RS instance metadata and frames (PS3.18 10.4) for viewers: what they need to display an instance (size,
 * sample layout, rescale, window, spacing) in the DICOM JSON model, and its frames as uncompressed little-endian
 * samples. Both describe the pixels as Panacea decoded them: grey, one sample per pixel (colour images were
 * converted to luma; MONOCHROME1 images keep their samples and their interpretation), 8 or 16 bits with Bits Stored
 * kept, so a metadata answer and the frames always agree. Real-valued images (Parametric Maps, 32-bit dose grids)
 * are described as Float Pixel Data (7FE0,0008) and their frames sent as 32-bit IEEE 754 floats, little endian.
 */
final class WadoPixels {

    private WadoPixels() {
    }

    /**
     * The metadata of one instance, from its first frame, whose metadata also says how its samples display
     * (MONOCHROME1: higher samples darker).
     *
     * @param url the instance's URL, to which {@code /frames/1} is added for the bulk data
     */
    static Map<String, Object> metadata(ArchivedInstance instance, Image first, String sopClassUid, String url) {
        Map<String, Object> dataset = new TreeMap<>();
        ImageMetadata meta = first.metadata();
        put(dataset, "00080016", "UI", sopClassUid);
        put(dataset, "00080018", "UI", instance.sopInstanceUid());
        put(dataset, "00080060", "CS", instance.modality());
        put(dataset, "0020000D", "UI", instance.studyInstanceUid());
        put(dataset, "0020000E", "UI", instance.seriesInstanceUid());
        put(dataset, "00280002", "US", 1);
        put(dataset, "00280004", "CS", meta.photometricInterpretation());
        put(dataset, "00280008", "IS", instance.frames());
        put(dataset, "00280010", "US", first.height());
        put(dataset, "00280011", "US", first.width());
        Pixels pixels = first.pixels();
        if (!(pixels instanceof Pixels.Float32)) {
            int allocated = pixels instanceof Pixels.Gray8 ? 8 : 16;
            int stored = Math.min(allocated, Math.max(1, meta.bitsStored()));
            put(dataset, "00280100", "US", allocated);
            put(dataset, "00280101", "US", stored);
            put(dataset, "00280102", "US", stored - 1);
            put(dataset, "00280103", "US", pixels instanceof Pixels.Gray16 gray && gray.signed() ? 1 : 0);
            Map<String, Object> bulk = new LinkedHashMap<>();
            bulk.put("vr", allocated == 8 ? "OB" : "OW");
            bulk.put("BulkDataURI", url + "/frames/1");
            dataset.put("7FE00010", bulk);
        } else {
            put(dataset, "00280100", "US", 32);
            Map<String, Object> bulk = new LinkedHashMap<>();
            bulk.put("vr", "OF");
            bulk.put("BulkDataURI", url + "/frames/1");
            dataset.put("7FE00008", bulk);
        }
        if (Double.isFinite(meta.rowSpacing()) && Double.isFinite(meta.columnSpacing())) {
            dataset.put("00280030", attribute("DS", List.of(meta.rowSpacing(), meta.columnSpacing())));
        }
        put(dataset, "00281052", "DS", meta.rescaleIntercept());
        put(dataset, "00281053", "DS", meta.rescaleSlope());
        if (Double.isFinite(meta.windowCenter()) && Double.isFinite(meta.windowWidth())) {
            put(dataset, "00281050", "DS", meta.windowCenter());
            put(dataset, "00281051", "DS", meta.windowWidth());
        }
        return dataset;
    }

    /** A frame's samples, row by row, little endian, as the metadata describes them. */
    static byte[] frame(Image image) {
        Pixels pixels = image.pixels();
        if (pixels instanceof Pixels.Gray8 gray) {
            return gray.values().clone();
        }
        if (pixels instanceof Pixels.Gray16 gray) {
            ByteBuffer bytes = ByteBuffer.allocate(gray.values().length * 2).order(ByteOrder.LITTLE_ENDIAN);
            bytes.asShortBuffer().put(gray.values());
            return bytes.array();
        }
        float[] values = ((Pixels.Float32) pixels).values();
        ByteBuffer bytes = ByteBuffer.allocate(values.length * 4).order(ByteOrder.LITTLE_ENDIAN);
        bytes.asFloatBuffer().put(values);
        return bytes.array();
    }

    /** Frame numbers from a WADO-RS frame list ({@code 1}, {@code 1,3,5}), each checked against the count. */
    static List<Integer> frameNumbers(String list, int frames) {
        List<Integer> numbers = new ArrayList<>();
        for (String part : list.split(",")) {
            int number;
            try {
                number = Integer.parseInt(part.strip());
            } catch (NumberFormatException e) {
                throw new IllegalArgumentException("frame numbers must be whole numbers from 1, was '" + part + "'");
            }
            if (number < 1 || number > frames) {
                throw new IllegalArgumentException("frame " + number + " does not exist: the instance has " + frames
                        + " frame" + (frames == 1 ? "" : "s"));
            }
            numbers.add(number);
        }
        return numbers;
    }

}
