package org.panacea.dicom.http;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.mockito.ArgumentMatchers.any;
import static org.mockito.Mockito.mock;
import static org.mockito.Mockito.when;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.util.List;
import java.util.Set;

import org.junit.jupiter.api.Test;
import org.panacea.api.imaging.ArchivedInstance;
import org.panacea.api.imaging.ImageArchive;
import org.panacea.api.imaging.InvalidImageException;
import org.panacea.api.imaging.StoredInstance;
import org.panacea.api.imaging.ValueChecking;
import org.panacea.api.records.PatientRecords;
import org.panacea.api.security.AccessPolicy;
import org.panacea.api.security.Caller;
import org.panacea.api.security.Role;
import org.panacea.dicom.read.DicomFormatException;
import org.panacea.dicom.read.DicomInstance;
import org.panacea.dicom.read.DicomReader;
import org.panacea.rest.http.PanaceaHttp;
import org.panacea.testsupport.FakeRequest;
import org.panacea.testsupport.FakeResponse;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;

/**
 * The STOW-RS answer is the PS3.18 store response in the DICOM JSON model, on real files: 200 when all are stored;
 * 202 with Warning Reason B007 and the offending element for a file whose Patient's Sex is 'Falso' (stored as
 * received), and with the Failure Reason of each part not stored (C000 malformed, C122 JPEG-LS); 409 with A900 when
 * strict values refuse the same file; and the Retrieve URLs of the instances and of the study. The archive here
 * reads with the real reader as the record's archive does.
 */
class StowRsResponseTest {

    private static final Caller CLINICIAN = new Caller("dr.grey", Set.of(Role.CLINICIAN), "10.0.0.7");
    private static final String BOUNDARY = "b0undary";
    private static final ObjectMapper JSON = new ObjectMapper();

    private static DicomWebServlet servlet(boolean strict) {
        ImageArchive archive = mock(ImageArchive.class);
        when(archive.store(any(), any(), any())).thenAnswer(call -> {
            DicomInstance dicom;
            try {
                dicom = new DicomReader().read((InputStream) call.getArgument(1), -1, (ValueChecking) call
                        .getArgument(2));
            } catch (DicomFormatException e) {
                throw new InvalidImageException(e.getMessage(), e);
            }
            return new StoredInstance(new ArchivedInstance("p1", "s1", dicom.study().instanceUid(),
                    dicom.series().instanceUid(), dicom.instance().sopInstanceUid(), dicom.series().modality(),
                    dicom.image().columns(), dicom.image().rows(), dicom.frames().size(), ""),
                    dicom.instance().sopClassUid(), dicom.warnings());
        });
        DicomWebServlet.Config config = mock(DicomWebServlet.Config.class);
        when(config.max_request_mebibytes()).thenReturn(2048);
        when(config.strict_values()).thenReturn(strict);
        return new DicomWebServlet(archive, mock(PatientRecords.class), mock(AccessPolicy.class), config);
    }

    private static byte[] resource(String path) throws IOException {
        try (InputStream in = StowRsResponseTest.class.getResourceAsStream(path)) {
            return in.readAllBytes();
        }
    }

    private record Answer(int status, String contentType, JsonNode json) {
        JsonNode referenced() {
            return json.path("00081199").path("Value");
        }

        JsonNode failed() {
            return json.path("00081198").path("Value");
        }
    }

    private static Answer post(DicomWebServlet servlet, String contentType, byte[] body) throws Exception {
        FakeResponse fake = new FakeResponse();
        servlet.service(FakeRequest.of("POST", "/studies").servletPath("/dicomweb").attribute(
                PanaceaHttp.CALLER_ATTRIBUTE, CLINICIAN).contentType(contentType)
                .body(new java.io.ByteArrayInputStream(body), body.length).build(), fake.response());
        List<Integer> statuses = fake.statusesSet();
        return new Answer(statuses.get(statuses.size() - 1), fake.response().getContentType(),
                JSON.readTree(fake.bytes()));
    }

    private static String value(JsonNode item, String tag) {
        return item.path(tag).path("Value").get(0).asText();
    }

    @Test
    void allStoredIs200WithEveryInstanceAndItsRetrieveUrl() throws Exception {
        Answer answer = post(servlet(false), "application/dicom", resource("/dicom/CT_small.dcm"));
        assertEquals(200, answer.status());
        assertTrue(answer.contentType().startsWith("application/dicom+json"), answer.contentType());
        JsonNode item = answer.referenced().get(0);
        assertEquals("1.2.840.10008.5.1.4.1.1.2", value(item, "00081150"));
        assertEquals("1.3.6.1.4.1.5962.1.1.1.1.1.20040119072730.12322", value(item, "00081155"));
        assertEquals("UR", item.path("00081190").path("vr").asText());
        assertTrue(value(item, "00081190").endsWith("/dicomweb/studies/1.3.6.1.4.1.5962.1.2.1.20040119072730.12322"
                + "/series/1.3.6.1.4.1.5962.1.3.1.1.20040119072730.12322/instances/"
                + "1.3.6.1.4.1.5962.1.1.1.1.1.20040119072730.12322"), value(item, "00081190"));
        assertTrue(item.path("00081196").isMissingNode(), "no warning");
        assertEquals("Patient/p1", value(item, "00091010"));
        assertTrue(value(answer.json(), "00081190").endsWith("/dicomweb/studies/"
                + "1.3.6.1.4.1.5962.1.2.1.20040119072730.12322"));
        assertTrue(answer.failed().isMissingNode());
    }

    @Test
    void anInvalidSexIsStoredWithAWarningNamingTheElement() throws Exception {
        Answer answer = post(servlet(false), "application/dicom", resource("/dicom-values/CT_small_sex_falso.dcm"));
        assertEquals(202, answer.status(), answer.json().toString());
        JsonNode item = answer.referenced().get(0);
        assertEquals("US", item.path("00081196").path("vr").asText());
        assertEquals(0xB007, item.path("00081196").path("Value").get(0).asInt());
        JsonNode warning = item.path("00091012").path("Value").get(0);
        assertEquals("AT", warning.path("00091013").path("vr").asText());
        assertEquals("00100040", value(warning, "00091013"));
        assertEquals("Falso", value(warning, "00091014"));
        assertEquals("not a valid code string (CS)", value(warning, "00091015"));
        assertEquals("unknown", value(warning, "00091016"));
    }

    @Test
    void strictValuesRefuseTheSameFileWith409AndReasonA900() throws Exception {
        Answer answer = post(servlet(true), "application/dicom", resource("/dicom-values/CT_small_sex_falso.dcm"));
        assertEquals(409, answer.status(), answer.json().toString());
        JsonNode failure = answer.failed().get(0);
        assertEquals(0xA900, failure.path("00081197").path("Value").get(0).asInt());
        assertTrue(value(failure, "00091017").contains("Patient's Sex (0010,0040)"), failure.toString());
        assertTrue(answer.referenced().isMissingNode());
    }

    @Test
    void aMultipartUploadNamesEachFailureWithItsReason() throws Exception {
        Answer answer = post(servlet(false), "multipart/related; type=\"application/dicom\"; boundary=" + BOUNDARY,
                multipart(resource("/dicom/MR_small.dcm"), resource("/dicom/MR_truncated.dcm"),
                        resource("/dicom/MR_small_jpeg_ls_lossless.dcm")));
        assertEquals(202, answer.status(), answer.json().toString());
        assertEquals(1, answer.referenced().size());
        assertEquals(2, answer.failed().size());
        assertEquals(0xC000, answer.failed().get(0).path("00081197").path("Value").get(0).asInt());
        assertEquals(2, answer.failed().get(0).path("00091018").path("Value").get(0).asInt());
        assertTrue(value(answer.failed().get(0), "00091017").contains("(7FE0,0010)"));
        assertEquals(0xC122, answer.failed().get(1).path("00081197").path("Value").get(0).asInt());
        assertTrue(value(answer.failed().get(1), "00091017").contains("JPEG-LS"));

        Answer none = post(servlet(false), "multipart/related; type=\"application/dicom\"; boundary=" + BOUNDARY,
                multipart(resource("/dicom/MR_truncated.dcm")));
        assertEquals(400, none.status(), "every part malformed");
        Answer unsupported = post(servlet(false), "application/dicom",
                resource("/dicom/MR_small_jpeg_ls_lossless.dcm"));
        assertEquals(409, unsupported.status(), "well formed, but none could be stored");
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
}
