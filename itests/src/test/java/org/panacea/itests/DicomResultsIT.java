package org.panacea.itests;

import static org.junit.Assert.assertArrayEquals;
import static org.junit.Assert.assertEquals;
import static org.junit.Assert.assertTrue;
import static org.ops4j.pax.exam.CoreOptions.systemProperty;
import static org.ops4j.pax.exam.karaf.options.KarafDistributionOption.editConfigurationFilePut;

import java.io.ByteArrayInputStream;
import java.io.File;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.MessageDigest;
import java.time.Duration;
import java.util.Base64;
import java.util.HexFormat;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

import javax.inject.Inject;

import org.apache.karaf.features.BootFinished;
import org.junit.Test;
import org.ops4j.pax.exam.util.Filter;
import org.junit.runner.RunWith;
import org.ops4j.pax.exam.Configuration;
import org.ops4j.pax.exam.Option;
import org.ops4j.pax.exam.junit.PaxExam;
import org.ops4j.pax.exam.spi.reactors.ExamReactorStrategy;
import org.ops4j.pax.exam.spi.reactors.PerClass;
import org.panacea.api.audit.AuditAction;
import org.panacea.api.audit.AuditQuery;
import org.panacea.api.audit.AuditTrail;
import org.panacea.api.imaging.Pixels;
import org.panacea.dicom.read.DicomInstance;
import org.panacea.dicom.read.DicomReader;

/**
 * Algorithm results as DICOM in the real distribution: a segmentation and a Gaussian blur run on the real CT_small
 * over the HTTP API; the mask comes back over WADO-RS as a DICOM Segmentation and the blur as a Parametric Map, each
 * referencing its source, in its study, found by QIDO-RS, and with exactly the values the algorithm returned (the
 * SHA-256 the run reports of its output equals that of the samples fetched back).
 */
@RunWith(PaxExam.class)
@ExamReactorStrategy(PerClass.class)
public class DicomResultsIT {

    private static final String PORT = PanaceaDistribution.freePort();
    private static final String SEGMENTATION_STORAGE = "1.2.840.10008.5.1.4.1.1.66.4";
    private static final String PARAMETRIC_MAP_STORAGE = "1.2.840.10008.5.1.4.1.1.30";

    @Inject
    // Boot can take minutes on a busy machine: Pax Exam would give up on it after 10 s.
    @Filter(timeout = 300_000)
    BootFinished bootFinished;

    @Inject
    AuditTrail audit;

    @Inject
    org.apache.karaf.features.FeaturesService features;

    private final HttpClient http = HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(5)).build();

    @Configuration
    public Option[] config() {
        return PanaceaDistribution.options(
                editConfigurationFilePut("etc/org.ops4j.pax.web.cfg", "org.osgi.service.http.port", PORT),
                systemProperty("panacea.test.http.port").value(PORT),
                systemProperty("panacea.test.dicom").value(new File("../bundles/records/src/test/resources/dicom")
                        .getAbsolutePath()));
    }

    @Test
    public void segmentationAndGaussianComeBackAsDicomThatReferencesTheirSource() throws Exception {
        if (!features.isInstalled(features.getFeature("panacea-imaging"))) {
            features.installFeature("panacea-imaging", java.util.EnumSet.of(
                    org.apache.karaf.features.FeaturesService.Option.NoAutoRefreshBundles));
        }
        byte[] ct = Files.readAllBytes(Path.of(System.getProperty("panacea.test.dicom"), "CT_small.dcm"));
        HttpResponse<byte[]> stored = send("POST", "/dicomweb/studies", "clinician", "application/dicom", ct, null);
        assertEquals(text(stored), 200, stored.statusCode());
        // The PS3.18 store response: the instance's UID, its Retrieve URL (which names the study) and the record.
        String source = ImagingIT.dicomValue(text(stored), "00081155");
        String study = ImagingIT.storedPath(text(stored)).split("/")[3];
        String patient = ImagingIT.dicomValue(text(stored), "00091010").substring("Patient/".length());
        long instancesStored = instancesStoredFor(patient);

        // The segmentation: Otsu's mask (0/255) as a SEG of one bit per pixel.
        HttpResponse<byte[]> otsu = run("imaging.otsu-threshold", source, "{}");
        assertEquals(text(otsu), 200, otsu.statusCode());
        String segUrl = instanceUrl(text(otsu));
        assertEquals("SEG", field(text(otsu), "modality"));
        HttpResponse<byte[]> segFile = send("GET", segUrl, "clinician", null, null, "application/dicom");
        assertEquals(text(segFile), 200, segFile.statusCode());
        DicomInstance seg = read(segFile.body());
        assertEquals(SEGMENTATION_STORAGE, seg.instance().sopClassUid());
        assertEquals(study, seg.study().instanceUid());
        assertEquals("1CT1", seg.patient().id());
        assertEquals("referenced as Referenced Series item and Source Image", 2, references(segFile.body(), source));
        byte[] bits = ((Pixels.Gray8) seg.frames().get(0)).values();
        byte[] mask = new byte[bits.length];
        for (int i = 0; i < bits.length; i++) {
            mask[i] = (byte) (bits[i] * 255);
        }
        assertEquals("the SEG holds exactly the algorithm's mask", outputDigest(text(otsu)), sha256(mask));

        // The Gaussian: real values as a Parametric Map, its frame served as 32-bit little-endian floats.
        HttpResponse<byte[]> blur = run("imaging.gaussian-blur", source, "{\"sigma\":2,\"border\":\"reflect\"}");
        assertEquals(text(blur), 200, blur.statusCode());
        String mapUrl = instanceUrl(text(blur));
        HttpResponse<byte[]> frame = send("GET", mapUrl + "/frames/1", "clinician", null, null, null);
        assertEquals(text(frame), 200, frame.statusCode());
        byte[] floats = onlyPart(frame);
        assertEquals(128 * 128 * 4, floats.length);
        assertEquals("the frame holds exactly the algorithm's output", outputDigest(text(blur)), sha256(floats));
        HttpResponse<byte[]> mapFile = send("GET", mapUrl, "clinician", null, null, "application/dicom");
        DicomInstance map = read(mapFile.body());
        assertEquals(PARAMETRIC_MAP_STORAGE, map.instance().sopClassUid());
        assertEquals(2, references(mapFile.body(), source));
        float[] values = ((Pixels.Float32) map.frames().get(0)).values();
        float[] served = new float[values.length];
        ByteBuffer.wrap(floats).order(ByteOrder.LITTLE_ENDIAN).asFloatBuffer().get(served);
        assertArrayEquals(served, values, 0f);
        assertEquals("HU", map.metadata().rescaleUnit());
        assertEquals(-1024, map.metadata().rescaleIntercept(), 0);

        // QIDO-RS lists both in the source's study, each in a series of its own.
        HttpResponse<byte[]> series = send("GET", "/dicomweb/studies/" + study + "/series", "clinician", null, null,
                null);
        assertEquals(text(series), 200, series.statusCode());
        assertTrue(text(series), text(series).contains(seg.series().instanceUid())
                && text(series).contains(map.series().instanceUid()) && text(series).contains("\"SEG\""));
        HttpResponse<byte[]> instances = send("GET", "/dicomweb/studies/" + study + "/series/"
                + seg.series().instanceUid() + "/instances", "clinician", null, null, null);
        assertTrue(text(instances), text(instances).contains(SEGMENTATION_STORAGE));

        // The same policy as for any image: a researcher may not fetch it, and the read is audited.
        assertEquals(403, send("GET", segUrl, "researcher", null, null, null).statusCode());
        assertEquals("each derived instance is audited as a stored instance", instancesStored + 2,
                instancesStoredFor(patient));
    }

    /** The audited creations in the patient's ImagingStudy: its creation and one per instance stored. */
    private long instancesStoredFor(String patient) {
        return audit.search(new AuditQuery(patient, "clinician", AuditAction.CREATE, null, null, 100)).stream()
                .filter(e -> "ImagingStudy".equals(e.event().resourceType())).count();
    }

    private HttpResponse<byte[]> run(String algorithm, String instance, String parameters) throws Exception {
        String body = "{\"instance\":\"" + instance + "\",\"parameters\":" + parameters + "}";
        return send("POST", "/api/algorithms/" + algorithm + "/$run", "clinician", "application/json",
                body.getBytes(StandardCharsets.UTF_8), null);
    }

    private HttpResponse<byte[]> send(String method, String path, String user, String contentType, byte[] body,
            String accept) throws Exception {
        HttpRequest.Builder request = HttpRequest.newBuilder(URI.create("http://127.0.0.1:"
                + System.getProperty("panacea.test.http.port") + path)).timeout(Duration.ofSeconds(60))
                .header("Authorization", "Basic " + Base64.getEncoder().encodeToString((user + ":" + user)
                        .getBytes(StandardCharsets.UTF_8)))
                .method(method, body == null ? HttpRequest.BodyPublishers.noBody()
                        : HttpRequest.BodyPublishers.ofByteArray(body));
        if (contentType != null) {
            request.header("Content-Type", contentType);
        }
        if (accept != null) {
            request.header("Accept", accept);
        }
        return Eventually.waitFor(() -> http.send(request.build(), HttpResponse.BodyHandlers.ofByteArray()),
                response -> !(response.statusCode() == 404 && new String(response.body(), StandardCharsets.UTF_8)
                        .contains("<html")), Duration.ofSeconds(60));
    }

    /** The WADO-RS URL of the run's derived instance. */
    private static String instanceUrl(String run) {
        int at = run.indexOf("\"derivedInstance\"");
        assertTrue(run, at >= 0 && !run.startsWith("null", at + 18));
        String derived = run.substring(at);
        return "/dicomweb/studies/" + field(derived, "studyInstanceUid") + "/series/"
                + field(derived, "seriesInstanceUid") + "/instances/" + field(derived, "sopInstanceUid");
    }

    private static String outputDigest(String run) {
        Matcher output = Pattern.compile("\"output\":\"([0-9a-f]{64})\"").matcher(run);
        assertTrue(run, output.find());
        return output.group(1);
    }

    /** The body of the only part of a multipart/related answer. */
    private static byte[] onlyPart(HttpResponse<byte[]> response) {
        String type = response.headers().firstValue("Content-Type").orElse("");
        String boundary = type.substring(type.indexOf("boundary=") + 9);
        String body = new String(response.body(), StandardCharsets.ISO_8859_1);
        int start = body.indexOf("\r\n\r\n") + 4;
        int end = body.indexOf("\r\n--" + boundary + "--", start);
        return body.substring(start, end).getBytes(StandardCharsets.ISO_8859_1);
    }

    /**
     * How many Referenced SOP Instance UID (0008,1155) elements name {@code uid}: the element's explicit VR little
     * endian header followed by the UID, padded.
     */
    private static int references(byte[] file, String uid) {
        int length = uid.length() + (uid.length() & 1);
        byte[] element = new byte[8 + length];
        ByteBuffer.wrap(element).order(ByteOrder.LITTLE_ENDIAN).putShort((short) 0x0008).putShort((short) 0x1155)
                .put((byte) 'U').put((byte) 'I').putShort((short) length).put(uid.getBytes(StandardCharsets.US_ASCII));
        int count = 0;
        for (int i = 0; i + element.length <= file.length; i++) {
            boolean match = true;
            for (int j = 0; j < element.length && match; j++) {
                match = file[i + j] == element[j];
            }
            count += match ? 1 : 0;
        }
        return count;
    }

    private static DicomInstance read(byte[] part10) throws Exception {
        return new DicomReader().read(new ByteArrayInputStream(part10), part10.length);
    }

    private static String sha256(byte[] bytes) throws Exception {
        return HexFormat.of().formatHex(MessageDigest.getInstance("SHA-256").digest(bytes));
    }

    private static String text(HttpResponse<byte[]> response) {
        return new String(response.body(), StandardCharsets.UTF_8);
    }

    private static String field(String json, String name) {
        int start = json.indexOf("\"" + name + "\":\"") + name.length() + 4;
        return json.substring(start, json.indexOf('"', start));
    }
}
