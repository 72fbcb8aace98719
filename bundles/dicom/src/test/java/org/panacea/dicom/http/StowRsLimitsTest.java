package org.panacea.dicom.http;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.mockito.ArgumentMatchers.any;
import static org.mockito.ArgumentMatchers.eq;
import static org.mockito.Mockito.doThrow;
import static org.mockito.Mockito.mock;
import static org.mockito.Mockito.never;
import static org.mockito.Mockito.verify;
import static org.mockito.Mockito.when;

import java.io.ByteArrayInputStream;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.util.List;
import java.util.Set;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicInteger;

import javax.servlet.http.HttpServletRequest;
import javax.servlet.http.HttpServletResponse;

import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.panacea.api.imaging.ArchivedInstance;
import org.panacea.api.imaging.ImageArchive;
import org.panacea.api.imaging.InvalidImageException;
import org.panacea.api.imaging.ValueChecking;
import org.panacea.api.imaging.StoredInstance;
import org.panacea.api.records.PatientRecords;
import org.panacea.api.security.AccessDecision;
import org.panacea.api.security.AccessDeniedException;
import org.panacea.api.security.AccessPolicy;
import org.panacea.api.security.Caller;
import org.panacea.api.security.Operation;
import org.panacea.api.security.Role;
import org.panacea.dicom.read.Allocations;
import org.panacea.dicom.read.DicomFormatException;
import org.panacea.dicom.read.DicomReadLimits;
import org.panacea.dicom.read.DicomReader;
import org.panacea.rest.http.PanaceaHttp;
import org.panacea.testsupport.FakeRequest;
import org.panacea.testsupport.FakeResponse;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;

/**
 * STOW-RS through the servlet: the access policy decides before the body is touched, and an upload whose header
 * declares a huge image it does not carry is refused without the declared size being allocated; a declared size
 * over the archive's limit is 413 naming the limit. The archive here reads uploads with the real reader exactly as
 * the record's archive does (unknown length, format errors as {@link InvalidImageException} with their cause).
 */
class StowRsLimitsTest {

    private static final Caller CLINICIAN = new Caller("dr.grey", Set.of(Role.CLINICIAN), "10.0.0.7");
    private static final Caller RESEARCHER = new Caller("ada", Set.of(Role.RESEARCHER), "10.0.0.9");
    private static final String BOUNDARY = "b0undary";

    private final ImageArchive archive = mock(ImageArchive.class);
    private final AccessPolicy policy = mock(AccessPolicy.class);
    private final AtomicInteger stores = new AtomicInteger();
    private DicomReader reader = new DicomReader();
    private DicomWebServlet servlet;

    @BeforeEach
    void setUp() {
        doThrow(new AccessDeniedException(AccessDecision.deny("researchers may not store images")))
                .when(policy).require(eq(RESEARCHER), any(), any());
        when(archive.store(any(), any(), any())).thenAnswer(call -> {
            stores.incrementAndGet();
            try {
                reader.read((InputStream) call.getArgument(1), -1, (ValueChecking) call.getArgument(2));
            } catch (org.panacea.dicom.read.DicomLimitException e) {
                throw new InvalidImageException(e.getMessage(), e);
            } catch (DicomFormatException e) {
                throw new InvalidImageException(e.getMessage(), e);
            }
            return new StoredInstance(new ArchivedInstance("p", "s", "1.2", "1.2.3", "1.2.3.4", "CT", 1, 1, 1, ""),
                    "1.2.840.10008.5.1.4.1.1.2", List.of());
        });
        DicomWebServlet.Config config = mock(DicomWebServlet.Config.class);
        when(config.max_request_mebibytes()).thenReturn(2048);
        servlet = new DicomWebServlet(archive, mock(PatientRecords.class), policy, config);
    }

    @Test
    void aCallerWithoutPermissionIsRefusedBeforeTheBodyIsRead() throws Exception {
        for (String type : new String[] { "application/dicom", "multipart/related; type=\"application/dicom\"; "
                + "boundary=" + BOUNDARY }) {
            AtomicBoolean touched = new AtomicBoolean();
            InputStream body = new InputStream() {
                @Override
                public int read() {
                    touched.set(true);
                    return -1;
                }
            };
            FakeRequest request = post(RESEARCHER, type, body);
            Answer answer = new Answer();
            servlet.service(request.build(), answer.response);
            assertEquals(403, answer.status(), type);
            assertTrue(answer.json().path("issue").get(0).path("diagnostics").asText().contains("researchers"));
            assertFalse(touched.get(), "the body was read before the access decision: " + type);
            assertFalse(request.wasCalled("getInputStream"), "the servlet asked for the body: " + type);
        }
        verify(policy, org.mockito.Mockito.times(2)).require(RESEARCHER, Operation.CREATE, "ImagingStudy");
        verify(archive, never()).store(any(), any(), any());
    }

    @Test
    void aHugeDeclaredFrameWithAFewPixelBytesIsRefusedWithoutAllocatingIt() throws Exception {
        long declared = 2L * 16384 * 16384; // 512 MiB, within the default 1 GiB limit
        byte[] file = image(16384, 16384, declared, 64);
        byte[] body = multipart(file, file);
        HttpServletRequest request = post(CLINICIAN, "multipart/related; type=\"application/dicom\"; boundary="
                + BOUNDARY, new ByteArrayInputStream(body)).build();
        Answer answer = new Answer();
        long allocated = Allocations.during(() -> servlet.service(request, answer.response), e -> {
            throw new AssertionError(e);
        });
        assertEquals(400, answer.status());
        JsonNode failed = answer.json().path("00081198").path("Value");
        assertEquals(2, failed.size());
        assertEquals(0xC000, failed.get(0).path("00081197").path("Value").get(0).asInt(), failed.toString());
        assertTrue(failed.get(0).path("00091017").path("Value").get(0).asText().contains("pixel data ends after 64 "
                + "of the " + declared + " bytes"), failed.toString());
        assertTrue(answer.json().path("00081199").isMissingNode(), "nothing stored");
        assertTrue(allocated < 8L << 20, "allocated " + allocated + " bytes for two uploads declaring " + declared
                + " bytes of pixels each");
    }

    @Test
    void aDeclaredSizeOverTheLimitIs413NamingTheLimit() throws Exception {
        reader = new DicomReader(new DicomReadLimits(1 << 20, 1 << 30, 64 * 1024, 64));
        byte[] file = image(1024, 1024, 2L << 20, 64);

        Answer single = new Answer();
        servlet.service(post(CLINICIAN, "application/dicom", new ByteArrayInputStream(file)).build(), single.response);
        assertEquals(413, single.status());
        assertTrue(single.json().path("00081198").path("Value").get(0).path("00091017").path("Value").get(0).asText()
                .contains("more than the limit of 1048576 bytes (1 MiB)"), single.json().toString());

        Answer parts = new Answer();
        servlet.service(post(CLINICIAN, "multipart/related; type=\"application/dicom\"; boundary=" + BOUNDARY,
                new ByteArrayInputStream(multipart(file))).build(), parts.response);
        assertEquals(413, parts.status());
        JsonNode failure = parts.json().path("00081198").path("Value").get(0);
        assertEquals(0xA700, failure.path("00081197").path("Value").get(0).asInt(), failure.toString());
        assertTrue(failure.path("00091017").path("Value").get(0).asText().contains("limit of 1048576"));
        assertEquals(2, stores.get());
    }

    // ----------------------------------------------------------------------------------------------- helpers

    private static FakeRequest post(Caller caller, String contentType, InputStream body) {
        return FakeRequest.of("POST", "/studies").servletPath("/dicomweb").attribute(PanaceaHttp.CALLER_ATTRIBUTE,
                caller).contentType(contentType).body(body, -1);
    }

    /** The response: the status the servlet set (0 for none) and the body. */
    private static final class Answer {
        private final FakeResponse fake = new FakeResponse();
        final HttpServletResponse response = fake.response();

        int status() {
            List<Integer> set = fake.statusesSet();
            return set.isEmpty() ? 0 : set.get(set.size() - 1);
        }

        JsonNode json() throws IOException {
            return new ObjectMapper().readTree(fake.bytes());
        }
    }

    private static byte[] multipart(byte[]... parts) {
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        for (byte[] part : parts) {
            out.writeBytes(("--" + BOUNDARY + "\r\nContent-Type: application/dicom\r\n\r\n")
                    .getBytes(StandardCharsets.US_ASCII));
            out.writeBytes(part);
            out.writeBytes("\r\n".getBytes(StandardCharsets.US_ASCII));
        }
        out.writeBytes(("--" + BOUNDARY + "--\r\n").getBytes(StandardCharsets.US_ASCII));
        return out.toByteArray();
    }

    /**
     * A Part 10 file, explicit VR little endian, of a {@code rows x columns} 16-bit grey image whose Pixel Data
     * declares {@code declared} bytes and holds {@code sent}.
     */
    static byte[] image(int rows, int columns, long declared, int sent) {
        ByteArrayOutputStream meta = new ByteArrayOutputStream();
        element(meta, 0x0002, 0x0010, "UI", "1.2.840.10008.1.2.1\0".getBytes(StandardCharsets.US_ASCII));
        byte[] group = meta.toByteArray();
        ByteArrayOutputStream file = new ByteArrayOutputStream();
        file.writeBytes(new byte[128]);
        file.writeBytes("DICM".getBytes(StandardCharsets.US_ASCII));
        element(file, 0x0002, 0x0000, "UL", le(group.length, 4));
        file.writeBytes(group);
        element(file, 0x0028, 0x0002, "US", le(1, 2));
        element(file, 0x0028, 0x0004, "CS", "MONOCHROME2 ".getBytes(StandardCharsets.US_ASCII));
        element(file, 0x0028, 0x0010, "US", le(rows, 2));
        element(file, 0x0028, 0x0011, "US", le(columns, 2));
        element(file, 0x0028, 0x0100, "US", le(16, 2));
        element(file, 0x0028, 0x0101, "US", le(16, 2));
        element(file, 0x0028, 0x0102, "US", le(15, 2));
        element(file, 0x0028, 0x0103, "US", le(0, 2));
        file.writeBytes(le(0x7FE0, 2));
        file.writeBytes(le(0x0010, 2));
        file.writeBytes("OW\0\0".getBytes(StandardCharsets.US_ASCII));
        file.writeBytes(le(declared, 4));
        file.writeBytes(new byte[sent]);
        return file.toByteArray();
    }

    private static void element(ByteArrayOutputStream out, int group, int element, String vr, byte[] value) {
        out.writeBytes(le(group, 2));
        out.writeBytes(le(element, 2));
        out.writeBytes(vr.getBytes(StandardCharsets.US_ASCII));
        out.writeBytes(le(value.length, 2));
        out.writeBytes(value);
    }

    private static byte[] le(long value, int bytes) {
        byte[] b = new byte[bytes];
        for (int i = 0; i < bytes; i++) {
            b[i] = (byte) (value >>> 8 * i);
        }
        return b;
    }
}
