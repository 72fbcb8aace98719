package org.panacea.records.internal;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.ByteArrayInputStream;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.lang.annotation.Annotation;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.MessageDigest;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.time.Clock;
import java.time.ZoneOffset;
import java.util.ArrayList;
import java.util.Base64;
import java.util.List;
import java.util.Map;
import java.util.Random;
import java.util.stream.Stream;

import org.apache.derby.jdbc.EmbeddedDataSource;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.panacea.api.audit.AuditAction;
import org.panacea.api.audit.AuditEvent;
import org.panacea.api.audit.AuditOutcome;
import org.panacea.api.records.StoredResource;
import org.panacea.api.security.Caller;
import org.panacea.api.security.DecryptionException;
import org.panacea.records.http.FhirServlet;
import org.panacea.records.internal.fhir.FhirJson;
import org.panacea.records.internal.search.SearchPage;
import org.panacea.records.internal.search.SearchRequest;
import org.panacea.rest.http.PanaceaHttp;
import org.panacea.testsupport.FakeRequest;
import org.panacea.testsupport.FakeResponse;
import org.panacea.testsupport.StreamedBody;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;

/**
 * FHIR Binary through the FHIR servlet, on the records database as the platform builds it: a document's bytes are
 * sealed in chunks bound to their Binary, read back byte for byte, checked against the SHA-256 stored with them,
 * never in clear in the database files, and refused (before a byte is read) to whoever may not write them.
 */
class FhirBinaryTest {

    private static final int MIB = 1024 * 1024;
    private static final Caller CLINICIAN = RecordsContract.CLINICIAN;
    private static final Caller NURSE = RecordsContract.NURSE;
    private static final Caller RESEARCHER = RecordsContract.RESEARCHER;

    private RecordsFixture fixture;
    private String patientId;

    @BeforeEach
    void open() throws Exception {
        fixture = RecordsFixture.derby(Clock.fixed(RecordsContract.NOW, ZoneOffset.UTC));
        patientId = fixture.records.create(CLINICIAN, Samples.patient("Quillfeather", "Ada",
                RecordsContract.mrn())).id();
    }

    @AfterEach
    void close() {
        fixture.records.stop();
        fixture.close();
    }

    // ------------------------------------------------------------------------------------------ stored, read back

    @Test
    void aPdfIsStoredAndReadBackByteForByteAsBytesAndAsABinaryResourceAuditedWithItsPatient() throws Exception {
        byte[] pdf = pdf(200_000, 1);
        FakeResponse created = upload(servlet(64), CLINICIAN, "application/pdf", "Patient/" + patientId,
                new ByteArrayInputStream(pdf), pdf.length);
        assertEquals(201, created.status(), created.text());
        String id = idFrom(created);
        assertTrue(created.header("Location").endsWith("/fhir/Binary/" + id + "/_history/1"),
                created.header("Location"));
        JsonNode answer = FhirJson.parseObject(created.text());
        assertEquals("Binary", answer.path("resourceType").asText());
        assertEquals("Patient/" + patientId, answer.path("securityContext").path("reference").asText());
        assertFalse(answer.has("data"), "the create does not echo the document");

        FakeResponse raw = get(servlet(64), CLINICIAN, "/Binary/" + id, Map.of("Accept", "application/pdf,*/*"));
        assertEquals(200, raw.status(), raw.text());
        assertEquals("application/pdf", raw.header("Content-Type"));
        assertEquals(Integer.toString(pdf.length), raw.header("Content-Length"));
        assertEquals("inline", raw.header("Content-Disposition"));
        assertEquals("nosniff", raw.header("X-Content-Type-Options"));
        assertEquals("W/\"1\"", raw.header("ETag"));
        assertArrayEquals(pdf, raw.bytes());

        FakeResponse resource = get(servlet(64), CLINICIAN, "/Binary/" + id, Map.of("Accept",
                "application/fhir+json"));
        assertEquals(200, resource.status(), resource.text());
        assertEquals("application/fhir+json", resource.header("Content-Type").split(";")[0]);
        JsonNode binary = FhirJson.parseObject(resource.text());
        assertEquals(id, binary.path("id").asText());
        assertEquals("application/pdf", binary.path("contentType").asText());
        assertEquals("Patient/" + patientId, binary.path("securityContext").path("reference").asText());
        assertArrayEquals(pdf, Base64.getDecoder().decode(binary.path("data").asText()));

        FakeResponse vread = get(servlet(64), CLINICIAN, "/Binary/" + id + "/_history/1", Map.of());
        assertArrayEquals(pdf, vread.bytes());
        assertEquals(404, get(servlet(64), CLINICIAN, "/Binary/" + id + "/_history/2", Map.of()).status());

        List<AuditEvent> binaryEvents = fixture.audit.events().stream()
                .filter(event -> event.resourceType().equals("Binary")).toList();
        assertEquals(AuditAction.CREATE, binaryEvents.get(0).action());
        assertEquals(AuditOutcome.SUCCESS, binaryEvents.get(0).outcome());
        assertEquals(patientId, binaryEvents.get(0).patientId());
        assertEquals(id, binaryEvents.get(0).resourceId());
        assertEquals(4, binaryEvents.size(), binaryEvents.toString());
        for (AuditEvent read : binaryEvents.subList(1, 4)) {
            assertEquals(AuditAction.READ, read.action());
            assertEquals(patientId, read.patientId());
            assertEquals("dr.grey", read.actor());
        }
    }

    @Test
    void threeMebibytesSentWithoutALengthSpanChunksAndComeBackWhole() throws Exception {
        byte[] pdf = pdf(3 * MIB + 12_345, 2);
        FakeResponse created = upload(servlet(64), CLINICIAN, "application/pdf", "Patient/" + patientId,
                new ByteArrayInputStream(pdf), -1);
        assertEquals(201, created.status(), created.text());
        String id = idFrom(created);
        assertEquals(4, chunksOf(id), "3 MiB and a bit make three full chunks and a last one");

        FakeResponse raw = get(servlet(64), CLINICIAN, "/Binary/" + id, Map.of());
        assertArrayEquals(sha256(pdf), sha256(raw.bytes()));
        assertEquals(pdf.length, raw.bytes().length);

        // Straight from the store as well: the content as a stream, in pieces no larger than a chunk.
        ByteArrayOutputStream read = new ByteArrayOutputStream();
        fixture.records.binaries().read(NURSE, id, 0, (binary, content) -> {
            assertEquals(pdf.length, binary.size());
            assertEquals(Base64.getEncoder().encodeToString(sha256(pdf)), binary.sha256());
            content.transferTo(read);
        });
        assertArrayEquals(pdf, read.toByteArray());
    }

    @Test
    void aFhirBinaryResourceIsStoredFromItsBase64DataAndServedAsBytes() throws Exception {
        byte[] scan = pdf(1_500_000, 3);
        String json = "{\"resourceType\":\"Binary\",\"contentType\":\"image/tiff\",\"securityContext\":"
                + "{\"reference\":\"Patient/" + patientId + "\"},\"data\":\"" + Base64.getEncoder()
                        .encodeToString(scan) + "\"}";
        byte[] body = json.getBytes(StandardCharsets.US_ASCII);
        FakeResponse created = upload(servlet(64), CLINICIAN, "application/fhir+json", null,
                new ByteArrayInputStream(body), body.length);
        assertEquals(201, created.status(), created.text());
        String id = idFrom(created);
        assertEquals(2, chunksOf(id));

        FakeResponse raw = get(servlet(64), CLINICIAN, "/Binary/" + id, Map.of());
        assertEquals("image/tiff", raw.header("Content-Type"));
        assertEquals("attachment", raw.header("Content-Disposition"), "only passive types are shown inline");
        assertArrayEquals(scan, raw.bytes());
    }

    @Test
    void aFhirBinaryResourceMustNameItsTypeItsPatientAndHoldBase64DataAndNothingElse() throws Exception {
        String patient = "{\"reference\":\"Patient/" + patientId + "\"}";
        Map<String, String> refusals = Map.of(
                "{\"resourceType\":\"Binary\",\"contentType\":\"application/pdf\",\"securityContext\":" + patient
                        + "}", "Binary.data: is required",
                "{\"resourceType\":\"Binary\",\"contentType\":\"application/pdf\",\"securityContext\":" + patient
                        + ",\"data\":\"not base64!\"}", "Binary.data: must be base64",
                "{\"resourceType\":\"Binary\",\"securityContext\":" + patient + ",\"data\":\"JVBERg==\"}",
                "Binary.contentType: is required",
                "{\"resourceType\":\"Binary\",\"contentType\":\"application/pdf\",\"data\":\"JVBERg==\"}",
                "Binary.securityContext: is required",
                "{\"resourceType\":\"Binary\",\"contentType\":\"application/pdf\",\"securityContext\":{\"reference\":"
                        + "\"Practitioner/p1\"},\"data\":\"JVBERg==\"}", "must name the patient as Patient/{id}",
                "{\"resourceType\":\"Binary\",\"meta\":{\"security\":[{\"code\":\"R\"}]},\"contentType\":"
                        + "\"application/pdf\",\"securityContext\":" + patient + ",\"data\":\"JVBERg==\"}",
                "Binary.meta.security: is not kept on a Binary",
                "{\"resourceType\":\"Binary\",\"language\":\"en\",\"contentType\":\"application/pdf\","
                        + "\"securityContext\":" + patient + ",\"data\":\"JVBERg==\"}", "Binary.language: is not an "
                        + "element",
                "{\"resourceType\":\"Patient\",\"contentType\":\"application/pdf\",\"securityContext\":"
                        + patient + ",\"data\":\"JVBERg==\"}", "must be Binary");
        for (Map.Entry<String, String> refusal : refusals.entrySet()) {
            byte[] body = refusal.getKey().getBytes(StandardCharsets.UTF_8);
            FakeResponse answer = upload(servlet(64), CLINICIAN, "application/fhir+json", null,
                    new ByteArrayInputStream(body), body.length);
            assertEquals(422, answer.status(), refusal.getKey() + " -> " + answer.text());
            assertTrue(answer.text().contains(refusal.getValue()), refusal.getValue() + " -> " + answer.text());
        }
        byte[] body = ("{\"resourceType\":\"Binary\",\"contentType\":\"application/pdf\",\"securityContext\":"
                + patient + ",\"data\":\"JVBERg==\"}").getBytes(StandardCharsets.UTF_8);
        FakeResponse other = upload(servlet(64), CLINICIAN, "application/fhir+json", "Patient/someone-else",
                new ByteArrayInputStream(body), body.length);
        assertEquals(422, other.status(), other.text());
        assertTrue(other.text().contains("differs from the X-Security-Context header"), other.text());
        FakeResponse form = upload(servlet(64), CLINICIAN, "multipart/form-data; boundary=x", "Patient/" + patientId,
                new ByteArrayInputStream(body), body.length);
        assertEquals(415, form.status(), form.text());
        FakeResponse notAType = upload(servlet(64), CLINICIAN, "pdf", "Patient/" + patientId,
                new ByteArrayInputStream(body), body.length);
        assertEquals(422, notAType.status(), notAType.text());
        assertEquals(0, fixture.count("PANACEA_BINARY_CHUNK"), "nothing of the refused uploads was kept");

        FakeResponse stored = upload(servlet(64), CLINICIAN, "application/fhir+json", "Patient/" + patientId,
                new ByteArrayInputStream(body), body.length);
        assertEquals(201, stored.status(), stored.text());
        assertEquals("%PDF", get(servlet(64), CLINICIAN, "/Binary/" + idFrom(stored), Map.of()).text());
    }

    @Test
    void aDocumentReferencePointingAtTheBinaryIsStoredFoundAndLeadsToTheDocument() throws Exception {
        byte[] pdf = pdf(50_000, 4);
        String binaryId = idFrom(upload(servlet(64), CLINICIAN, "application/pdf", "Patient/" + patientId,
                new ByteArrayInputStream(pdf), pdf.length));
        String document = """
                {"resourceType": "DocumentReference", "status": "current",
                 "type": {"coding": [{"system": "http://loinc.org", "code": "18842-5",
                                      "display": "Discharge summary"}]},
                 "subject": {"reference": "Patient/%s"}, "date": "2023-03-02T10:00:00+01:00",
                 "content": [{"attachment": {"contentType": "application/pdf", "url": "Binary/%s",
                                             "size": %d, "title": "Discharge letter"}}]}
                """.formatted(patientId, binaryId, pdf.length);
        StoredResource stored = fixture.records.create(CLINICIAN, document);

        SearchPage found = fixture.records.fhirSearch(CLINICIAN, SearchRequest.parse("DocumentReference",
                Map.of("patient", List.of(patientId)), 50, RecordsContract.NOW));
        assertEquals(1, found.total());
        ObjectNode reference = FhirJson.parseObject(found.matches().get(0).json());
        assertEquals(stored.id(), reference.path("id").asText());
        String url = reference.path("content").path(0).path("attachment").path("url").asText();
        assertEquals("Binary/" + binaryId, url);
        assertArrayEquals(pdf, get(servlet(64), CLINICIAN, "/" + url, Map.of()).bytes());
    }

    @Test
    void aBinaryThatCameInsideATransactionBundleIsServedFromItsInlineData() throws Exception {
        String bundle = """
                {"resourceType": "Bundle", "type": "transaction", "entry": [
                  {"resource": {"resourceType": "Binary", "contentType": "text/plain\\r\\nX-Injected: 1",
                                "securityContext": {"reference": "Patient/%s"}, "data": "SGVsbG8sIHdvcmxk"},
                   "request": {"method": "POST", "url": "Binary"}}]}
                """.formatted(patientId);
        String reference = fixture.records.importBundle(CLINICIAN, bundle).stored().values().iterator().next();
        assertTrue(reference.startsWith("Binary/"), reference);
        FakeResponse raw = get(servlet(64), CLINICIAN, "/" + reference, Map.of());
        assertEquals(200, raw.status(), raw.text());
        assertEquals("Hello, world", raw.text());
        assertEquals("application/octet-stream", raw.header("Content-Type"), "an unchecked type is not sent as is");
        assertEquals("attachment", raw.header("Content-Disposition"));
    }

    // -------------------------------------------------------------------------------------- refused, nothing kept

    @Test
    void aBodyOverTheLimitIs413AndNothingIsStored() throws Exception {
        long resources = fixture.count("PANACEA_RESOURCE");
        long versions = fixture.count("PANACEA_RESOURCE_VERSION");
        StreamedBody undeclared = pdfBody(3L * MIB);
        FakeResponse answer = upload(servlet(1), CLINICIAN, "application/pdf", "Patient/" + patientId, undeclared,
                -1);
        assertEquals(413, answer.status(), answer.text());
        assertTrue(diagnostics(answer).contains("larger than 1 MiB, the limit for one request "
                + "(max.request.mebibytes)"), diagnostics(answer));
        assertTrue(undeclared.bytesRead() > MIB && undeclared.bytesRead() < MIB + 64 * 1024,
                "stopped by what arrived: read " + undeclared.bytesRead());

        StreamedBody declared = pdfBody(3L * MIB);
        FakeResponse refused = upload(servlet(1), CLINICIAN, "application/pdf", "Patient/" + patientId, declared,
                declared.size());
        assertEquals(413, refused.status(), refused.text());
        assertEquals(0, declared.bytesRead(), "a declared length over the limit is refused unread");

        assertEquals(resources, fixture.count("PANACEA_RESOURCE"));
        assertEquals(versions, fixture.count("PANACEA_RESOURCE_VERSION"));
        assertEquals(0, fixture.count("PANACEA_BINARY_CHUNK"), "the chunk written before the limit was rolled back");
    }

    @Test
    void aResearcherIsRefusedBeforeAByteOfTheBodyIsRead() throws Exception {
        StreamedBody body = pdfBody(60L * MIB);
        FakeResponse answer = upload(servlet(64), RESEARCHER, "application/pdf", "Patient/" + patientId, body, -1);
        assertEquals(403, answer.status(), answer.text());
        assertTrue(diagnostics(answer).contains("may not CREATE Binary"), diagnostics(answer));
        assertEquals(0, body.bytesRead());
        assertEquals(0, fixture.count("PANACEA_BINARY_CHUNK"));
        AuditEvent denied = fixture.audit.events().get(fixture.audit.events().size() - 1);
        assertEquals(AuditAction.ACCESS_DENIED, denied.action());
        assertEquals("Binary", denied.resourceType());

        // Nor may a researcher read one a clinician stored.
        byte[] pdf = pdf(1000, 5);
        String id = idFrom(upload(servlet(64), CLINICIAN, "application/pdf", "Patient/" + patientId,
                new ByteArrayInputStream(pdf), pdf.length));
        FakeResponse read = get(servlet(64), RESEARCHER, "/Binary/" + id, Map.of());
        assertEquals(403, read.status(), read.text());
        assertFalse(new String(read.bytes(), StandardCharsets.ISO_8859_1).contains("%PDF"));
    }

    @Test
    void aDocumentForAPatientThatDoesNotExistOrWithoutOneIsRefusedUnread() throws Exception {
        StreamedBody body = pdfBody(2L * MIB);
        FakeResponse answer = upload(servlet(64), CLINICIAN, "application/pdf", "Patient/nobody", body, -1);
        assertEquals(422, answer.status(), answer.text());
        assertTrue(diagnostics(answer).contains("Patient/nobody does not exist"), diagnostics(answer));
        assertEquals(0, body.bytesRead());

        StreamedBody unlinked = pdfBody(2L * MIB);
        FakeResponse without = upload(servlet(64), CLINICIAN, "application/pdf", null, unlinked, -1);
        assertEquals(422, without.status(), without.text());
        assertTrue(diagnostics(without).contains("X-Security-Context"), diagnostics(without));
        assertEquals(0, unlinked.bytesRead());
        assertEquals(0, fixture.count("PANACEA_BINARY_CHUNK"));
    }

    @Test
    void aBinaryIsNotChangedInPlaceAndItsDeleteRemovesItsChunks() throws Exception {
        byte[] pdf = pdf(MIB + 10, 6);
        String id = idFrom(upload(servlet(64), CLINICIAN, "application/pdf", "Patient/" + patientId,
                new ByteArrayInputStream(pdf), pdf.length));
        FakeResponse put = new FakeResponse();
        servlet(64).service(request(CLINICIAN, "PUT", "/Binary/" + id).contentType("application/pdf")
                .body(StreamedBody.of(pdf)).build(), put.response());
        assertEquals(405, put.status(), put.text());

        // The patient keeps its documents: it cannot be deleted while one is stored.
        FakeResponse patient = new FakeResponse();
        servlet(64).service(request(CLINICIAN, "DELETE", "/Patient/" + patientId).build(), patient.response());
        assertEquals(409, patient.status(), patient.text());

        assertEquals(2, chunksOf(id));
        FakeResponse deleted = new FakeResponse();
        servlet(64).service(request(CLINICIAN, "DELETE", "/Binary/" + id).build(), deleted.response());
        assertEquals(204, deleted.status(), deleted.text());
        assertEquals(0, chunksOf(id));
        assertEquals(410, get(servlet(64), CLINICIAN, "/Binary/" + id, Map.of()).status());
        AuditEvent audited = fixture.audit.events().stream().filter(event -> event.resourceType().equals("Binary")
                && event.action() == AuditAction.DELETE).findFirst().orElseThrow();
        assertEquals(id, audited.resourceId());
        assertEquals(patientId, audited.patientId());
    }

    // ------------------------------------------------------------------------------------------------- integrity

    @Test
    void aChunkCopiedFromAnotherBinaryDoesNotOpenAndTheDocumentIsNotReturnedWhole() throws Exception {
        byte[] letter = pdf(2 * MIB + 100, 7);
        byte[] consent = pdf(2 * MIB + 200, 8);
        String letterId = idFrom(upload(servlet(64), CLINICIAN, "application/pdf", "Patient/" + patientId,
                new ByteArrayInputStream(letter), letter.length));
        String consentId = idFrom(upload(servlet(64), CLINICIAN, "application/pdf", "Patient/" + patientId,
                new ByteArrayInputStream(consent), consent.length));
        // A database writer pastes the consent's second chunk (a whole, validly sealed chunk) into the letter.
        setChunk(letterId, 1, chunk(consentId, 1));

        DecryptionException failed = assertThrows(DecryptionException.class, () -> fixture.records.binaries()
                .read(CLINICIAN, letterId, 0, (binary, content) -> content.transferTo(new ByteArrayOutputStream())));
        assertTrue(failed.getMessage().contains("Binary/" + letterId + " failed its integrity check"),
                failed.getMessage());
        AuditEvent error = fixture.audit.events().get(fixture.audit.events().size() - 1);
        assertEquals(AuditAction.READ, error.action());
        assertEquals(AuditOutcome.ERROR, error.outcome());

        // Over HTTP the first chunk went out; the answer is cut short, never completed with an error's bytes.
        FakeResponse cut = new FakeResponse();
        IOException aborted = assertThrows(IOException.class, () -> servlet(64).service(request(CLINICIAN, "GET",
                "/Binary/" + letterId).build(), cut.response()));
        assertTrue(aborted.getMessage().contains("cut off"), aborted.getMessage());
        assertTrue(cut.bytes().length < letter.length, "sent " + cut.bytes().length + " bytes");

        // The first chunk swapped: refused before anything is answered, as a clean error.
        setChunk(consentId, 0, chunk(letterId, 0));
        FakeResponse refused = get(servlet(64), CLINICIAN, "/Binary/" + consentId, Map.of());
        assertEquals(500, refused.status());
        assertEquals("application/fhir+json", refused.header("Content-Type").split(";")[0]);
        assertFalse(refused.text().contains("%PDF"));
    }

    @Test
    void chunksOfOneBinarySwappedOrTheLastOneRemovedAreCaught() throws Exception {
        byte[] pdf = pdf(3 * MIB, 9);
        String id = idFrom(upload(servlet(64), CLINICIAN, "application/pdf", "Patient/" + patientId,
                new ByteArrayInputStream(pdf), pdf.length));
        byte[] first = chunk(id, 1);
        byte[] second = chunk(id, 2);
        setChunk(id, 1, second);
        setChunk(id, 2, first);
        assertThrows(DecryptionException.class, () -> readAll(id));
        setChunk(id, 1, first);
        setChunk(id, 2, second);
        assertArrayEquals(pdf, readAll(id), "put back, it opens");

        try (Connection connection = fixture.dataSource.getConnection(); PreparedStatement delete = connection
                .prepareStatement("DELETE FROM PANACEA_BINARY_CHUNK WHERE BINARY_ID = ? AND CHUNK_INDEX = 2")) {
            delete.setString(1, id);
            assertEquals(1, delete.executeUpdate());
        }
        DecryptionException missing = assertThrows(DecryptionException.class, () -> readAll(id));
        assertTrue(missing.getMessage().contains("missing"), missing.getMessage());
    }

    // ------------------------------------------------------------------------------------------ nothing in clear

    @Test
    void theDatabaseFilesHoldNoPlaintextOfTheDocuments() throws Exception {
        String secret = "Discharge letter of Zebediah Quillfeather: appendectomy, MRN-DOC-55123.";
        byte[] letter = (("%PDF-1.7\n" + secret + "\n").repeat(40_000)).getBytes(StandardCharsets.UTF_8);
        String id = idFrom(upload(servlet(64), CLINICIAN, "application/pdf", "Patient/" + patientId,
                new ByteArrayInputStream(letter), letter.length));
        String json = "{\"resourceType\":\"Binary\",\"contentType\":\"text/plain\",\"securityContext\":"
                + "{\"reference\":\"Patient/" + patientId + "\"},\"data\":\"" + Base64.getEncoder()
                        .encodeToString(secret.getBytes(StandardCharsets.UTF_8)) + "\"}";
        FakeResponse second = upload(servlet(64), CLINICIAN, "application/fhir+json", null,
                new ByteArrayInputStream(json.getBytes(StandardCharsets.UTF_8)), json.length());
        assertEquals(201, second.status(), second.text());
        assertArrayEquals(letter, get(servlet(64), CLINICIAN, "/Binary/" + id, Map.of()).bytes());
        fixture.records.stop();
        fixture.close();

        Path database = fixture.directory.resolve("records-db");
        shutDown(database);
        List<String> needles = List.of("Zebediah Quillfeather", "MRN-DOC-55123", "appendectomy", "application/pdf");
        List<String> found = new ArrayList<>();
        boolean sawClearColumn = false;
        try (Stream<Path> files = Files.walk(database)) {
            for (Path file : files.filter(Files::isRegularFile).toList()) {
                byte[] content = Files.readAllBytes(file);
                sawClearColumn |= contains(content, patientId.getBytes(StandardCharsets.UTF_8))
                        || contains(content, patientId.getBytes(StandardCharsets.UTF_16BE));
                for (String needle : needles) {
                    if (contains(content, needle.getBytes(StandardCharsets.UTF_8))
                            || contains(content, needle.getBytes(StandardCharsets.UTF_16BE))) {
                        found.add(needle + " in " + database.relativize(file));
                    }
                }
            }
        }
        assertTrue(found.isEmpty(), "plaintext found: " + found);
        assertTrue(sawClearColumn, "the scan reads the stored rows: the clear patient id column is in the files");
    }

    // ---------------------------------------------------------------------------------------------- the plumbing

    private FhirServlet servlet(int maxMebibytes) {
        return new FhirServlet(fixture.records, fixture.policy, new FhirServlet.Config() {
            @Override
            public Class<? extends Annotation> annotationType() {
                return FhirServlet.Config.class;
            }

            @Override
            public int max_request_mebibytes() {
                return maxMebibytes;
            }

            @Override
            public int default_page_size() {
                return 50;
            }
        });
    }

    private static FakeRequest request(Caller caller, String method, String path) {
        return FakeRequest.of(method, path).servletPath("/fhir").attribute(PanaceaHttp.CALLER_ATTRIBUTE, caller);
    }

    /** {@code POST /fhir/Binary}; {@code declaredLength} -1 sends no length, as a chunked upload. */
    private static FakeResponse upload(FhirServlet servlet, Caller caller, String contentType,
            String securityContext, java.io.InputStream body, long declaredLength) throws Exception {
        FakeRequest request = request(caller, "POST", "/Binary").contentType(contentType);
        if (body instanceof StreamedBody streamed) {
            request.body(streamed, declaredLength);
        } else {
            request.body(body, declaredLength);
        }
        if (securityContext != null) {
            request.header("X-Security-Context", securityContext);
        }
        FakeResponse answer = new FakeResponse();
        servlet.service(request.build(), answer.response());
        return answer;
    }

    private static FakeResponse get(FhirServlet servlet, Caller caller, String path, Map<String, String> headers)
            throws Exception {
        FakeResponse answer = new FakeResponse();
        servlet.service(request(caller, "GET", path).headers(headers).build(), answer.response());
        return answer;
    }

    private static String idFrom(FakeResponse created) {
        assertEquals(201, created.status(), created.text());
        String id = FhirJson.parseObject(created.text()).path("id").asText();
        assertNotNull(id);
        return id;
    }

    private byte[] readAll(String id) throws IOException {
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        fixture.records.binaries().read(CLINICIAN, id, 0, (binary, content) -> content.transferTo(out));
        return out.toByteArray();
    }

    private long chunksOf(String id) throws SQLException {
        try (Connection connection = fixture.dataSource.getConnection(); PreparedStatement count = connection
                .prepareStatement("SELECT COUNT(*) FROM PANACEA_BINARY_CHUNK WHERE BINARY_ID = ?")) {
            count.setString(1, id);
            try (ResultSet result = count.executeQuery()) {
                result.next();
                return result.getLong(1);
            }
        }
    }

    private byte[] chunk(String id, int index) throws SQLException {
        try (Connection connection = fixture.dataSource.getConnection(); PreparedStatement select = connection
                .prepareStatement("SELECT SEALED FROM PANACEA_BINARY_CHUNK WHERE BINARY_ID = ? AND CHUNK_INDEX = ?")) {
            select.setString(1, id);
            select.setInt(2, index);
            try (ResultSet result = select.executeQuery()) {
                assertTrue(result.next(), "chunk " + index + " of " + id);
                return result.getBytes(1);
            }
        }
    }

    private void setChunk(String id, int index, byte[] sealed) throws SQLException {
        try (Connection connection = fixture.dataSource.getConnection(); PreparedStatement update = connection
                .prepareStatement("UPDATE PANACEA_BINARY_CHUNK SET SEALED = ? WHERE BINARY_ID = ? AND CHUNK_INDEX = ?")) {
            update.setBytes(1, sealed);
            update.setString(2, id);
            update.setInt(3, index);
            assertEquals(1, update.executeUpdate());
        }
    }

    /** A PDF-like document: its header, {@code size} bytes in all, the rest random from {@code seed}. */
    private static byte[] pdf(int size, long seed) {
        byte[] bytes = new byte[size];
        new Random(seed).nextBytes(bytes);
        byte[] header = "%PDF-1.7\n".getBytes(StandardCharsets.US_ASCII);
        System.arraycopy(header, 0, bytes, 0, header.length);
        return bytes;
    }

    /** About {@code size} bytes of a PDF-like body, produced as it is read. */
    private static StreamedBody pdfBody(long size) {
        return new StreamedBody("%PDF-1.7\n".getBytes(StandardCharsets.US_ASCII), "0 0 612 792 re f\n".getBytes(
                StandardCharsets.US_ASCII), "%%EOF\n".getBytes(StandardCharsets.US_ASCII), size);
    }

    private static byte[] sha256(byte[] bytes) {
        try {
            return MessageDigest.getInstance("SHA-256").digest(bytes);
        } catch (java.security.NoSuchAlgorithmException e) {
            throw new IllegalStateException(e);
        }
    }

    private static String diagnostics(FakeResponse answer) {
        return FhirJson.parseObject(answer.text()).path("issue").path(0).path("diagnostics").asText();
    }

    /** Shuts the embedded database down, so everything it holds is in its files (checkpointed). */
    private static void shutDown(Path database) {
        EmbeddedDataSource dataSource = new EmbeddedDataSource();
        dataSource.setDatabaseName(database.toString());
        dataSource.setShutdownDatabase("shutdown");
        try {
            dataSource.getConnection().close();
        } catch (SQLException expected) {
            // Derby reports a clean shutdown as an exception.
        }
    }

    private static boolean contains(byte[] haystack, byte[] needle) {
        outer:
        for (int i = 0; i <= haystack.length - needle.length; i++) {
            for (int j = 0; j < needle.length; j++) {
                if (haystack[i + j] != needle[j]) {
                    continue outer;
                }
            }
            return true;
        }
        return false;
    }
}
