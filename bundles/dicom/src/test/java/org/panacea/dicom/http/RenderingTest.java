package org.panacea.dicom.http;

import static org.junit.jupiter.api.Assertions.assertEquals;

import java.awt.image.BufferedImage;
import java.awt.image.DataBufferByte;
import java.io.InputStream;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;

import javax.imageio.ImageIO;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;
import org.panacea.api.imaging.Image;
import org.panacea.api.imaging.ImageMetadata;
import org.panacea.dicom.read.DicomReader;
import org.panacea.plugins.support.display.GreyscaleDisplay;

class RenderingTest {

    private static Image read(String resource) throws Exception {
        try (InputStream in = RenderingTest.class.getResourceAsStream(resource)) {
            return new DicomReader().read(in, -1).frame(0);
        }
    }

    private static byte[] rendered(Image image, Double center, Double width) {
        BufferedImage rendered = Rendering.render(image, center, width);
        assertEquals(BufferedImage.TYPE_BYTE_GRAY, rendered.getType());
        return ((DataBufferByte) rendered.getRaster().getDataBuffer()).getData();
    }

    @Test
    void theCtWindowMatchesTheIndependentVoiReferenceExactly() throws Exception {
        Image ct = read("/dicom/CT_small.dcm");
        byte[] rendered = rendered(ct, 40.0, 400.0);
        byte[] reference;
        try (InputStream in = RenderingTest.class.getResourceAsStream("/rendering/voi_linear_c40_w400.pgm")) {
            byte[] pgm = in.readAllBytes();
            reference = java.util.Arrays.copyOfRange(pgm, pgm.length - 128 * 128, pgm.length);
        }
        int maxDifference = 0;
        for (int i = 0; i < reference.length; i++) {
            maxDifference = Math.max(maxDifference, Math.abs((rendered[i] & 0xFF) - (reference[i] & 0xFF)));
        }
        assertEquals(0, maxDifference, "grey levels differ from the reference");
    }

    /**
     * Real computed radiographs stored as MONOCHROME1 (higher values darker), with a rescale of 0.684 and 200 and a
     * window of 1600/2800 of their own: rendered the right way round, byte for byte what pydicom's modality and VOI
     * functions give once inverted (see make_monochrome1_reference.py beside the files).
     */
    @ParameterizedTest
    @CsvSource({
        "CR_6154_monochrome1, own,", "CR_6154_monochrome1, c1700_w600, 1700/600", "CR_6154_monochrome1, range,",
        "CR_6247_monochrome1, own,", "CR_6247_monochrome1, c1700_w600, 1700/600", "CR_6247_monochrome1, range,",
        "CR_6278_monochrome1, own,", "CR_6278_monochrome1, c1700_w600, 1700/600", "CR_6278_monochrome1, range," })
    void monochrome1RadiographsShowTheRightWayRoundAsPydicomComputesThem(String name, String label, String window)
            throws Exception {
        Image radiograph = read("/rendering/" + name + ".dcm");
        assertEquals(ImageMetadata.MONOCHROME1, radiograph.metadata().photometricInterpretation());
        Image unwindowed = radiograph;
        Double center = null;
        Double width = null;
        if (window != null) {
            center = Double.valueOf(window.split("/")[0]);
            width = Double.valueOf(window.split("/")[1]);
        } else if (label.equals("range")) {
            ImageMetadata m = radiograph.metadata();
            unwindowed = new Image(radiograph.width(), radiograph.height(), radiograph.pixels(),
                    new ImageMetadata(m.modality(), m.rowSpacing(), m.columnSpacing(), m.rescaleSlope(),
                            m.rescaleIntercept(), m.rescaleUnit(), Double.NaN, Double.NaN, m.bitsStored(),
                            m.sourceInstanceUid(), m.photometricInterpretation()));
        }
        byte[] rendered = rendered(unwindowed, center, width);

        BufferedImage expected;
        try (InputStream in = RenderingTest.class.getResourceAsStream("/rendering/" + name + "." + label
                + ".display.png")) {
            expected = ImageIO.read(in);
        }
        byte[] reference = ((DataBufferByte) expected.getRaster().getDataBuffer()).getData();
        assertEquals(reference.length, rendered.length);
        for (int i = 0; i < reference.length; i++) {
            assertEquals(reference[i] & 0xFF, rendered[i] & 0xFF, name + " " + label + ", pixel " + i);
        }

        // Before rounding and inversion, the function is pydicom's to rounding error.
        double[] voi = new double[reference.length];
        try (InputStream in = RenderingTest.class.getResourceAsStream("/rendering/" + name + "." + label
                + ".voi_f64le.raw")) {
            ByteBuffer.wrap(in.readAllBytes()).order(ByteOrder.LITTLE_ENDIAN).asDoubleBuffer().get(voi);
        }
        GreyscaleDisplay.Window used = GreyscaleDisplay.window(unwindowed, center, width);
        ImageMetadata m = radiograph.metadata();
        for (int i = 0; i < voi.length; i++) {
            double value = radiograph.pixels().sample(i) * m.rescaleSlope() + m.rescaleIntercept();
            assertEquals(voi[i], GreyscaleDisplay.linearVoi(value, used.center(), used.width()), 1e-9, "pixel " + i);
        }
    }

    @Test
    void aMonochrome2CopyOfARadiographRendersAsTheExactInverse() throws Exception {
        Image radiograph = read("/rendering/CR_6154_monochrome1.dcm");
        Image asMonochrome2 = new Image(radiograph.width(), radiograph.height(), radiograph.pixels(),
                radiograph.metadata().withPhotometricInterpretation(ImageMetadata.MONOCHROME2));
        byte[] one = rendered(radiograph, null, null);
        byte[] two = rendered(asMonochrome2, null, null);
        for (int i = 0; i < one.length; i++) {
            assertEquals(255 - (two[i] & 0xFF), one[i] & 0xFF, "pixel " + i);
        }
    }
}
