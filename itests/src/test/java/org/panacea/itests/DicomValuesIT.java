package org.panacea.itests;

import static org.junit.Assert.assertArrayEquals;
import static org.junit.Assert.assertEquals;
import static org.junit.Assert.assertTrue;
import static org.ops4j.pax.exam.CoreOptions.systemProperty;
import static org.ops4j.pax.exam.karaf.options.KarafDistributionOption.editConfigurationFilePut;

import java.io.ByteArrayOutputStream;
import java.io.File;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Base64;
import java.util.Dictionary;
import java.util.Hashtable;
import java.util.List;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.ThreadLocalRandom;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

import javax.inject.Inject;

import org.apache.karaf.features.BootFinished;
import org.junit.Test;
import org.junit.runner.RunWith;
import org.ops4j.pax.exam.Configuration;
import org.ops4j.pax.exam.Option;
import org.ops4j.pax.exam.junit.PaxExam;
import org.ops4j.pax.exam.spi.reactors.ExamReactorStrategy;
import org.ops4j.pax.exam.spi.reactors.PerClass;
import org.osgi.service.cm.ConfigurationAdmin;

/**
 * Real-world DICOM in the real distribution, over DICOMweb: a real file whose Patient's Sex is 'Falso' is stored
 * with the PS3.18 warning answer (202, Warning Reason B007 naming (0010,0040)), its patient's gender unknown and the
 * file kept as received, and refused (409, A900) once {@code strict.values} is set; four STOW-RS clients storing many
 * instances of one new patient, study and series at once all succeed, leaving one patient, study and series; WADO-RS
 * metadata of a real CT series carries what viewers sort slices with; baseline JPEG is decoded inside OSGi (the JDK's
 * decoder through the bundle's imports) to the independent decoder's pixels, and JPEG-LS is refused by name (C122).
 */
@RunWith(PaxExam.class)
@ExamReactorStrategy(PerClass.class)
public class DicomValuesIT {

    private static final String PORT = PanaceaDistribution.freePort();
    private static final String BOUNDARY = "values-it";

    /** Waits as long as a boot on a busy machine takes (Pax Exam's default is 10 s). */
    @Inject
    @org.ops4j.pax.exam.util.Filter(timeout = 300_000)
    BootFinished bootFinished;

    @Inject
    ConfigurationAdmin configurations;

    private final HttpClient http = HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(5)).build();

    @Configuration
    public Option[] config() {
        return PanaceaDistribution.options(
                editConfigurationFilePut("etc/org.ops4j.pax.web.cfg", "org.osgi.service.http.port", PORT),
                systemProperty("panacea.test.http.port").value(PORT),
                systemProperty("panacea.test.dicom.resources").value(new File("../bundles/dicom/src/test/resources")
                        .getAbsolutePath()));
    }

    private static byte[] resource(String path) throws Exception {
        return Files.readAllBytes(Path.of(System.getProperty("panacea.test.dicom.resources"), path));
    }

    private HttpResponse<byte[]> send(String method, String path, String contentType, byte[] body) throws Exception {
        HttpRequest.Builder request = HttpRequest.newBuilder(URI.create("http://127.0.0.1:"
                + System.getProperty("panacea.test.http.port") + path)).timeout(Duration.ofSeconds(120))
                .header("Authorization", "Basic " + Base64.getEncoder().encodeToString("clinician:clinician"
                        .getBytes(StandardCharsets.UTF_8)))
                .method(method, body == null ? HttpRequest.BodyPublishers.noBody()
                        : HttpRequest.BodyPublishers.ofByteArray(body));
        if (contentType != null) {
            request.header("Content-Type", contentType);
        }
        return Eventually.waitFor(() -> http.send(request.build(), HttpResponse.BodyHandlers.ofByteArray()),
                response -> !(response.statusCode() == 404 && new String(response.body(), StandardCharsets.UTF_8)
                        .contains("<html")), Duration.ofSeconds(60));
    }

    private HttpResponse<byte[]> stow(byte[]... files) throws Exception {
        ByteArrayOutputStream body = new ByteArrayOutputStream();
        for (byte[] file : files) {
            body.write(("--" + BOUNDARY + "\r\nContent-Type: application/dicom\r\n\r\n")
                    .getBytes(StandardCharsets.US_ASCII));
            body.write(file);
            body.write("\r\n".getBytes(StandardCharsets.US_ASCII));
        }
        body.write(("--" + BOUNDARY + "--\r\n").getBytes(StandardCharsets.US_ASCII));
        return send("POST", "/dicomweb/studies", "multipart/related; type=\"application/dicom\"; boundary=" + BOUNDARY,
                body.toByteArray());
    }

    private static String text(HttpResponse<byte[]> response) {
        return new String(response.body(), StandardCharsets.UTF_8);
    }

    @Test
    public void anInvalidSexIsStoredWithTheWarningAnswerAndRefusedWhenStrict() throws Exception {
        byte[] falso = resource("dicom-values/CT_small_sex_falso.dcm");
        HttpResponse<byte[]> stored = send("POST", "/dicomweb/studies", "application/dicom", falso);
        String answer = text(stored);
        assertEquals(answer, 202, stored.statusCode());
        assertTrue(answer, answer.contains("\"00081196\":{\"vr\":\"US\",\"Value\":[45063]}"));
        assertTrue(answer, answer.contains("\"00091013\":{\"vr\":\"AT\",\"Value\":[\"00100040\"]}"));
        assertTrue(answer, answer.contains("\"00091014\":{\"vr\":\"UT\",\"Value\":[\"Falso\"]}"));
        String patient = ImagingIT.dicomValue(answer, "00091010");
        String record = text(send("GET", "/fhir/" + patient, null, null));
        assertTrue(record, record.contains("\"gender\":\"unknown\""));
        String url = ImagingIT.storedPath(answer);
        assertArrayEquals("kept as received", falso, send("GET", url, null, null).body());

        org.osgi.service.cm.Configuration strict = configurations.getConfiguration(
                "org.panacea.dicom.http.DicomWebServlet", null);
        Dictionary<String, Object> properties = new Hashtable<>();
        properties.put("strict.values", true);
        strict.update(properties);
        try {
            HttpResponse<byte[]> refused = Eventually.waitFor(
                    () -> send("POST", "/dicomweb/studies", "application/dicom", falso),
                    response -> response.statusCode() != 202 && response.statusCode() != 404, Duration.ofSeconds(30));
            assertEquals(text(refused), 409, refused.statusCode());
            assertTrue(text(refused), text(refused).contains("\"00081197\":{\"vr\":\"US\",\"Value\":[43264]}")
                    && text(refused).contains("Patient's Sex (0010,0040)"));
        } finally {
            strict.delete();
        }
    }

    /**
     * Four clients, each sending 4 requests of 5 new instances of one new patient, study and series at once: 80
     * instances, every answer 200, one patient, one study of one series listing them all.
     */
    @Test
    public void fourParallelStowClientsOfOneNewPatientStudyAndSeriesAllSucceed() throws Exception {
        byte[] ct = resource("dicom/CT_small.dcm");
        String patientId = "R" + (100 + ThreadLocalRandom.current().nextInt(900));
        String study = uid("1.3.6.1.4.1.5962.1.2.1.20040119072730.12322");
        String series = uid("1.3.6.1.4.1.5962.1.3.1.1.20040119072730.12322");
        int clients = 4;
        int requests = 4;
        int perRequest = 5;
        ExecutorService pool = Executors.newFixedThreadPool(clients);
        CountDownLatch start = new CountDownLatch(1);
        List<Future<List<Integer>>> running = new ArrayList<>();
        for (int c = 0; c < clients; c++) {
            running.add(pool.submit(() -> {
                start.await();
                List<Integer> statuses = new ArrayList<>();
                for (int r = 0; r < requests; r++) {
                    byte[][] files = new byte[perRequest][];
                    for (int i = 0; i < perRequest; i++) {
                        files[i] = withIdentity(ct, patientId, study, series,
                                uid("1.3.6.1.4.1.5962.1.1.1.1.1.20040119072730.12322"));
                    }
                    HttpResponse<byte[]> answer = stow(files);
                    assertEquals(text(answer), 200, answer.statusCode());
                    statuses.add(answer.statusCode());
                }
                return statuses;
            }));
        }
        start.countDown();
        for (Future<List<Integer>> client : running) {
            assertEquals(List.of(200, 200, 200, 200), client.get());
        }
        pool.shutdown();

        String studies = text(send("GET", "/dicomweb/studies?PatientID=" + patientId, null, null));
        assertEquals(studies, 1, count(studies, "\"0020000D\""));
        assertTrue(studies, studies.contains("\"00201208\":{\"vr\":\"IS\",\"Value\":[" + clients * requests
                * perRequest + "]}"));
        String seriesList = text(send("GET", "/dicomweb/studies/" + study + "/series", null, null));
        assertEquals(seriesList, 1, count(seriesList, "\"0020000E\""));
        String patients = text(send("GET", "/fhir/Patient?identifier=https://panacea.org/fhir/sid/dicom-patient-id%7C"
                + patientId, null, null));
        assertTrue(patients, patients.contains("\"total\":1"));
        String imagingStudies = text(send("GET", "/fhir/ImagingStudy?identifier=urn:ietf:rfc:3986%7Curn:oid:" + study,
                null, null));
        assertTrue(imagingStudies, imagingStudies.contains("\"total\":1"));
    }

    @Test
    public void wadoMetadataOfARealCtSeriesCarriesWhatViewersSortWith() throws Exception {
        byte[][] slices = new byte[5][];
        for (int i = 0; i < 5; i++) {
            slices[i] = resource("multi-slice/CT5N_" + (6 + i) + ".dcm");
        }
        HttpResponse<byte[]> stored = stow(slices);
        assertEquals(text(stored), 200, stored.statusCode());
        String studyUrl = ImagingIT.dicomValue(text(stored), "00081190");
        String metadata = text(send("GET", studyUrl.substring(studyUrl.indexOf("/dicomweb/")) + "/metadata", null,
                null));
        assertEquals(metadata, 5, count(metadata, "\"00200032\":{\"vr\":\"DS\""));
        for (int number = 6; number <= 10; number++) {
            assertTrue(metadata, metadata.contains("\"00200013\":{\"vr\":\"IS\",\"Value\":[" + number + "]}"));
        }
        assertTrue(metadata, metadata.contains("\"00200032\":{\"vr\":\"DS\",\"Value\":[-72.199997,-143.0,8.7625]}"));
        assertEquals(metadata, 5, count(metadata,
                "\"00200037\":{\"vr\":\"DS\",\"Value\":[1.0,0.0,0.0,0.0,1.0,0.0]}"));
        assertEquals(metadata, 5, count(metadata, "\"00180050\":{\"vr\":\"DS\",\"Value\":[2.5]}"));
        assertEquals(metadata, 5, count(metadata, "\"00200052\":{\"vr\":\"UI\",\"Value\":[\"1.3.6.1.4.1.5962.1.1.0.0.0"
                + ".1194734704.16302.0.4\"]}"));
        assertEquals(metadata, 5, count(metadata, "\"00200011\":{\"vr\":\"IS\",\"Value\":[5]}"));
    }

    @Test
    public void baselineJpegIsDecodedInsideOsgiAndJpegLsIsRefusedByName() throws Exception {
        HttpResponse<byte[]> stored = send("POST", "/dicomweb/studies", "application/dicom",
                resource("jpeg-baseline/image_dfl_baseline.dcm"));
        assertEquals(text(stored), 200, stored.statusCode());
        String url = ImagingIT.storedPath(text(stored));
        HttpResponse<byte[]> frame = send("GET", url + "/frames/1", null, null);
        assertEquals(text(frame), 200, frame.statusCode());
        byte[] expected = resource("jpeg-baseline/image_dfl_baseline.grey_u8.raw");
        String multipart = new String(frame.body(), StandardCharsets.ISO_8859_1);
        int start = multipart.indexOf("\r\n\r\n") + 4;
        byte[] samples = java.util.Arrays.copyOfRange(frame.body(), start, start + expected.length);
        assertArrayEquals("the JDK's decoder inside OSGi gives pydicom/Pillow's pixels", expected, samples);
        assertEquals(200, send("GET", url + "/rendered", null, null).statusCode());

        HttpResponse<byte[]> jpegLs = send("POST", "/dicomweb/studies", "application/dicom",
                resource("dicom/MR_small_jpeg_ls_lossless.dcm"));
        assertEquals(text(jpegLs), 409, jpegLs.statusCode());
        assertTrue(text(jpegLs), text(jpegLs).contains("\"00081197\":{\"vr\":\"US\",\"Value\":[49442]}")
                && text(jpegLs).contains("JPEG-LS Lossless Image Compression"));
    }

    private static int count(String text, String part) {
        int found = 0;
        for (int at = text.indexOf(part); at >= 0; at = text.indexOf(part, at + 1)) {
            found++;
        }
        return found;
    }

    /** A UID of the same length as {@code original}, its last 14 digits random: lengths in the file stay valid. */
    private static String uid(String original) {
        StringBuilder digits = new StringBuilder(original.substring(0, original.length() - 14));
        digits.append(1 + ThreadLocalRandom.current().nextInt(9));
        for (int i = 1; i < 14; i++) {
            digits.append(ThreadLocalRandom.current().nextInt(10));
        }
        return digits.toString();
    }

    /** CT_small with another Patient ID (4 characters) and UIDs (same lengths), wherever the file holds them. */
    private static byte[] withIdentity(byte[] ct, String patientId, String study, String series, String instance) {
        String text = new String(ct, StandardCharsets.ISO_8859_1)
                .replace("1.3.6.1.4.1.5962.1.2.1.20040119072730.12322", study)
                .replace("1.3.6.1.4.1.5962.1.3.1.1.20040119072730.12322", series)
                .replace("1.3.6.1.4.1.5962.1.1.1.1.1.20040119072730.12322", instance);
        Matcher id = Pattern.compile("\u0010\u0000\u0020\u0000LO\u0004\u00001CT1").matcher(text);
        if (!id.find()) {
            throw new AssertionError("CT_small's Patient ID element not found");
        }
        text = text.substring(0, id.start()) + "\u0010\u0000\u0020\u0000LO\u0004\u0000" + patientId
                + text.substring(id.end());
        return text.getBytes(StandardCharsets.ISO_8859_1);
    }
}
