package org.panacea.dicom.http;

import static org.junit.jupiter.api.Assertions.assertEquals;

import java.awt.image.DataBufferByte;
import java.io.InputStream;

import org.junit.jupiter.api.Test;
import org.panacea.api.imaging.Image;
import org.panacea.dicom.read.DicomReader;

class RenderingTest {

    @Test
    void theCtWindowMatchesTheIndependentVoiReferenceExactly() throws Exception {
        Image ct;
        try (InputStream in = RenderingTest.class.getResourceAsStream("/dicom/CT_small.dcm")) {
            ct = new DicomReader().read(in, -1).frame(0);
        }
        byte[] rendered = ((DataBufferByte) Rendering.render(ct, 40.0, 400.0).getRaster().getDataBuffer()).getData();
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
}
