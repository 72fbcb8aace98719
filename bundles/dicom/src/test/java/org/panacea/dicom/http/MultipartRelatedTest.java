package org.panacea.dicom.http;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;

import java.io.ByteArrayInputStream;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.util.Random;

import org.junit.jupiter.api.Test;

class MultipartRelatedTest {

    private static byte[] body(String boundary, byte[]... parts) throws IOException {
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        out.write("preamble to ignore\r\n".getBytes(StandardCharsets.US_ASCII));
        for (byte[] part : parts) {
            out.write(("--" + boundary + "\r\nContent-Type: application/dicom\r\n\r\n")
                    .getBytes(StandardCharsets.US_ASCII));
            out.write(part);
            out.write("\r\n".getBytes(StandardCharsets.US_ASCII));
        }
        out.write(("--" + boundary + "--\r\n").getBytes(StandardCharsets.US_ASCII));
        return out.toByteArray();
    }

    @Test
    void partsComeOutByteForByteEvenWhenTheyContainBoundaryLookalikes() throws Exception {
        String boundary = "dicom-boundary-42";
        Random random = new Random(3);
        byte[] first = new byte[300_000];
        random.nextBytes(first);
        // Bytes that start like the delimiter must not end the part.
        byte[] second = ("\r\n--dicom-boundary-4\r\n--dicom-boundary-43 and more").getBytes(StandardCharsets.US_ASCII);
        byte[] third = new byte[0];
        MultipartRelated parts = new MultipartRelated(new ByteArrayInputStream(body(boundary, first, second, third)),
                MultipartRelated.boundary("multipart/related; type=\"application/dicom\"; boundary=\"" + boundary
                        + "\""));
        String[] type = new String[1];
        for (byte[] expected : new byte[][] { first, second, third }) {
            InputStream part = parts.next(type);
            assertEquals("application/dicom", type[0]);
            assertArrayEquals(expected, part.readAllBytes());
        }
        assertNull(parts.next(type));
    }

    @Test
    void aBodyWithoutItsClosingBoundaryIsAnError() throws Exception {
        byte[] body = "--b\r\nContent-Type: application/dicom\r\n\r\nDICM data without end".getBytes(
                StandardCharsets.US_ASCII);
        MultipartRelated parts = new MultipartRelated(new ByteArrayInputStream(body), "b");
        InputStream part = parts.next(new String[1]);
        assertThrows(IOException.class, part::readAllBytes);
    }
}
