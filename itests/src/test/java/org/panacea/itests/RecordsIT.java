package org.panacea.itests;

import static org.junit.Assert.assertEquals;
import static org.junit.Assert.assertFalse;
import static org.junit.Assert.assertTrue;
import static org.ops4j.pax.exam.CoreOptions.systemProperty;
import static org.ops4j.pax.exam.karaf.options.KarafDistributionOption.editConfigurationFilePut;

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
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.UUID;
import java.util.stream.Stream;

import javax.inject.Inject;

import org.apache.karaf.features.BootFinished;
import org.apache.karaf.shell.api.console.SessionFactory;
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
import org.panacea.api.records.PatientRecords;
import org.panacea.api.records.SearchQuery;
import org.panacea.api.security.Caller;
import org.panacea.api.security.Role;

/**
 * The record in the real distribution: the FHIR API over Jetty with its status codes, a real Synthea history
 * imported over HTTP and from the console, the demo cohort loaded on first start, every access audited, and no
 * patient's name or identifier in the database files on disk.
 */
@RunWith(PaxExam.class)
@ExamReactorStrategy(PerClass.class)
public class RecordsIT {

    private static final String PORT = PanaceaDistribution.freePort();
    private static final String TLS_PORT = PanaceaDistribution.freePort();
    /** A throw-away server key for this build only, never committed. */
    private static final String TLS_PASSWORD = java.util.UUID.randomUUID().toString();
    private static final String FHIR = "application/fhir+json";

    @Inject
    // Boot can take minutes on a busy machine: Pax Exam would give up on it after 10 s.
    @Filter(timeout = 300_000)
    BootFinished bootFinished;

    @Inject
    PatientRecords records;

    /** Issues the test's clinician: a caller made by hand would be refused by the policy. */
    @Inject
    org.panacea.api.security.CallerAuthentication authentication;

    @Inject
    AuditTrail audit;

    @Inject
    SessionFactory sessionFactory;

    private final HttpClient http = HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(5)).build();

    private Caller clinician() {
        return authentication.internal("records-it", Set.of(Role.CLINICIAN));
    }

    @Configuration
    public Option[] config() {
        File synthea = new File("../bundles/records/src/test/resources/fhir");
        File keystore = new File("target/tls/https.p12");
        serverKey(keystore);
        return PanaceaDistribution.options(
                // TLS by configuration alone, as the README tells an administrator to turn it on.
                editConfigurationFilePut("etc/org.ops4j.pax.web.cfg", "org.osgi.service.http.secure.enabled", "true"),
                editConfigurationFilePut("etc/org.ops4j.pax.web.cfg", "org.osgi.service.http.port.secure", TLS_PORT),
                editConfigurationFilePut("etc/org.ops4j.pax.web.cfg", "org.ops4j.pax.web.ssl.keystore",
                        keystore.getAbsolutePath()),
                editConfigurationFilePut("etc/org.ops4j.pax.web.cfg", "org.ops4j.pax.web.ssl.keystore.type", "PKCS12"),
                editConfigurationFilePut("etc/org.ops4j.pax.web.cfg", "org.ops4j.pax.web.ssl.keystore.password",
                        TLS_PASSWORD),
                editConfigurationFilePut("etc/org.ops4j.pax.web.cfg", "org.ops4j.pax.web.ssl.key.password",
                        TLS_PASSWORD),
                systemProperty("panacea.test.tls.port").value(TLS_PORT),
                systemProperty("panacea.test.tls.keystore").value(keystore.getAbsolutePath()),
                systemProperty("panacea.test.tls.password").value(TLS_PASSWORD),
                editConfigurationFilePut("etc/org.ops4j.pax.web.cfg", "org.osgi.service.http.port", PORT),
                editConfigurationFilePut("etc/org.panacea.records.demo.cfg", "load.on.first.start", "true"),
                editConfigurationFilePut("etc/org.panacea.records.demo.cfg", "patients", "5"),
                systemProperty("panacea.test.http.port").value(PORT),
                systemProperty("panacea.test.synthea").value(synthea.getAbsolutePath()));
    }

    /** Makes a self-signed server key for 127.0.0.1 with the JDK's keytool. */
    private static void serverKey(File keystore) {
        try {
            Files.createDirectories(keystore.toPath().getParent());
            Files.deleteIfExists(keystore.toPath());
            Process keytool = new ProcessBuilder(Path.of(System.getProperty("java.home"), "bin", "keytool").toString(),
                    "-genkeypair", "-keystore", keystore.getAbsolutePath(), "-storetype", "PKCS12", "-storepass",
                    TLS_PASSWORD, "-keypass", TLS_PASSWORD, "-alias", "panacea-https", "-keyalg", "EC", "-groupname",
                    "secp256r1", "-validity", "2", "-dname", "CN=127.0.0.1,O=Panacea integration tests",
                    "-ext", "san=ip:127.0.0.1").redirectErrorStream(true).start();
            String output = new String(keytool.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
            if (keytool.waitFor() != 0) {
                throw new IllegalStateException("keytool failed: " + output);
            }
        } catch (Exception e) {
            throw new IllegalStateException("the test's TLS key cannot be made", e);
        }
    }

    @Test
    public void theFhirApiIsServedOverTlsWhenConfigured() throws Exception {
        java.security.KeyStore trusted = java.security.KeyStore.getInstance("PKCS12");
        try (var in = Files.newInputStream(Path.of(System.getProperty("panacea.test.tls.keystore")))) {
            trusted.load(in, System.getProperty("panacea.test.tls.password").toCharArray());
        }
        javax.net.ssl.TrustManagerFactory trust = javax.net.ssl.TrustManagerFactory.getInstance(
                javax.net.ssl.TrustManagerFactory.getDefaultAlgorithm());
        trust.init(trusted);
        javax.net.ssl.SSLContext tls = javax.net.ssl.SSLContext.getInstance("TLS");
        tls.init(null, trust.getTrustManagers(), null);
        HttpClient https = HttpClient.newBuilder().sslContext(tls).connectTimeout(Duration.ofSeconds(5)).build();
        HttpRequest request = HttpRequest.newBuilder(URI.create("https://127.0.0.1:"
                + System.getProperty("panacea.test.tls.port") + "/fhir/metadata"))
                .header("Authorization", "Basic " + Base64.getEncoder().encodeToString("clinician:clinician"
                        .getBytes(StandardCharsets.UTF_8))).timeout(Duration.ofSeconds(30)).build();
        HttpResponse<String> response = Eventually.waitFor(() -> https.send(request,
                HttpResponse.BodyHandlers.ofString()), r -> r.statusCode() == 200, Duration.ofSeconds(60));
        assertTrue(response.body(), response.body().contains("\"resourceType\":\"CapabilityStatement\""));
        assertEquals("TLSv1.3", response.sslSession().orElseThrow().getProtocol());
    }

    private HttpResponse<String> send(String method, String path, String user, String body, String... headers)
            throws Exception {
        HttpRequest.Builder request = HttpRequest.newBuilder(URI.create("http://127.0.0.1:"
                + System.getProperty("panacea.test.http.port") + path)).timeout(Duration.ofSeconds(60))
                .header("Authorization", "Basic " + Base64.getEncoder().encodeToString((user + ":" + user)
                        .getBytes(StandardCharsets.UTF_8)))
                .method(method, body == null ? HttpRequest.BodyPublishers.noBody()
                        : HttpRequest.BodyPublishers.ofString(body));
        if (body != null) {
            request.header("Content-Type", FHIR);
        }
        for (int i = 0; i < headers.length; i += 2) {
            request.header(headers[i], headers[i + 1]);
        }
        // The servlet registers a moment after the boot features: wait for it rather than fail on a 404.
        return Eventually.waitFor(() -> http.send(request.build(), HttpResponse.BodyHandlers.ofString()),
                response -> !(response.statusCode() == 404 && response.body().contains("<html")),
                Duration.ofSeconds(60));
    }

    private static String patient(String family, String mrn) {
        return "{\"resourceType\":\"Patient\",\"identifier\":[{\"system\":\"urn:oid:2.16.756.5.30.1\",\"value\":\""
                + mrn + "\"}],\"name\":[{\"family\":\"" + family + "\",\"given\":[\"Philippa\"]}],"
                + "\"gender\":\"female\",\"birthDate\":\"1948-02-29\"}";
    }

    private static void assertOutcome(HttpResponse<String> response, int status, String code) {
        assertEquals(response.body(), status, response.statusCode());
        assertTrue(response.headers().firstValue("Content-Type").orElse("").startsWith(FHIR));
        assertTrue(response.body(), response.body().contains("\"resourceType\":\"OperationOutcome\""));
        assertTrue(response.body(), response.body().contains("\"code\":\"" + code + "\""));
        assertFalse("no stack traces", response.body().contains("Exception"));
    }

    @Test
    public void patientsAreCreatedReadUpdatedSearchedAndDeletedOverFhirHttp() throws Exception {
        String family = "Httpwright" + UUID.randomUUID().toString().substring(0, 6);
        HttpResponse<String> created = send("POST", "/fhir/Patient", "clinician", patient(family, "MRN-" + family));
        assertEquals(created.body(), 201, created.statusCode());
        assertEquals("W/\"1\"", created.headers().firstValue("ETag").orElse(""));
        String location = created.headers().firstValue("Location").orElseThrow();
        String id = location.replaceAll(".*/Patient/([^/]+)/_history/1$", "$1");

        HttpResponse<String> read = send("GET", "/fhir/Patient/" + id, "nurse", null);
        assertEquals(200, read.statusCode());
        assertTrue(read.body().contains(family));

        String changed = read.body().replace("\"female\"", "\"other\"");
        assertEquals(200, send("PUT", "/fhir/Patient/" + id, "clinician", changed, "If-Match", "W/\"1\"").statusCode());
        assertOutcome(send("PUT", "/fhir/Patient/" + id, "clinician", changed, "If-Match", "W/\"1\""), 412, "conflict");
        assertOutcome(send("PUT", "/fhir/Patient/" + id, "clinician", patient(family, "MRN-" + family)), 428,
                "required");

        HttpResponse<String> search = send("GET", "/fhir/Patient?family=" + family.toUpperCase(), "clinician", null);
        assertEquals(200, search.statusCode());
        assertTrue(search.body(), search.body().startsWith("{\"resourceType\":\"Bundle\",\"type\":\"searchset\","
                + "\"total\":1,"));
        assertTrue(search.body().contains("\"other\""));

        assertEquals(204, send("DELETE", "/fhir/Patient/" + id, "clinician", null).statusCode());
        assertOutcome(send("GET", "/fhir/Patient/" + id, "clinician", null), 410, "deleted");
        assertFalse(audit.search(new AuditQuery(id, "nurse", AuditAction.READ, null, null, 5)).isEmpty());
    }

    @Test
    public void badInputIsAnsweredWithOperationOutcomesAndNothingIsStored() throws Exception {
        String family = "Refusedsson" + UUID.randomUUID().toString().substring(0, 6);
        assertOutcome(send("POST", "/fhir/Patient", "clinician", "{\"resourceType\":\"Patient\",\"name\":["), 400,
                "structure");
        HttpResponse<String> invalid = send("POST", "/fhir/Patient", "clinician",
                patient(family, "MRN-" + family).replace("1948-02-29", "1949-02-29"));
        assertOutcome(invalid, 422, "invalid");
        assertTrue(invalid.body(), invalid.body().contains("\"expression\":[\"Patient.birthDate\"]"));
        HttpResponse<String> xml = HttpClient.newHttpClient().send(HttpRequest.newBuilder(URI.create(
                "http://127.0.0.1:" + System.getProperty("panacea.test.http.port") + "/fhir/Patient"))
                .header("Authorization", "Basic " + Base64.getEncoder().encodeToString("clinician:clinician"
                        .getBytes(StandardCharsets.UTF_8)))
                .header("Content-Type", "application/fhir+xml")
                .POST(HttpRequest.BodyPublishers.ofString("<Patient/>")).build(), HttpResponse.BodyHandlers.ofString());
        assertOutcome(xml, 415, "not-supported");
        assertOutcome(send("POST", "/fhir/Patient", "researcher", patient(family, "MRN-" + family)), 403, "forbidden");
        assertOutcome(send("GET", "/fhir/Patient?shoe-size=44", "clinician", null), 400, "invalid");
        assertEquals(0, records.search(clinician(), new SearchQuery("Patient", Map.of("family", family), 10, 0)).total());
    }

    @Test
    public void aRealSyntheaHistoryImportsOverHttpAndFromTheConsole() throws Exception {
        Path folder = Path.of(System.getProperty("panacea.test.synthea"));
        HttpResponse<String> imported = send("POST", "/fhir", "clinician",
                Files.readString(folder.resolve("synthea-lavern.json")));
        assertEquals(imported.body(), 200, imported.statusCode());
        assertTrue(imported.body().startsWith("{\"resourceType\":\"Bundle\",\"type\":\"transaction-response\""));
        assertTrue(imported.body().contains("kept as an opaque, encrypted FHIR resource"));

        // the console reads files from the import folder only: the hospital's staff put them there first
        Path imports = Files.createDirectories(Path.of(System.getProperty("karaf.data"), "import"));
        Files.copy(folder.resolve("synthea-leonardo.json"), imports.resolve("synthea-leonardo.json"),
                java.nio.file.StandardCopyOption.REPLACE_EXISTING);
        String outside = console("clinician", "patient:import " + folder.resolve("synthea-leonardo.json"));
        assertTrue(outside, outside.contains("is outside the import folder"));
        String output = console("clinician", "patient:import synthea-leonardo.json");
        assertTrue(output, output.contains("365 entries stored"));
        String list = console("clinician", "patient:list -n 100");
        assertTrue(list, list.contains("Feeney44"));
        String id = list.lines().filter(line -> line.contains("Feeney44")).findFirst().orElseThrow().split("\\s+")[0];
        String chart = console("clinician", "patient:show " + id);
        assertTrue(chart, chart.contains("Observation") && chart.contains("Condition"));
        // researchers read no charts: the console allow-list refuses them patient:list before the access policy
        assertTrue(console("researcher", "patient:list").contains("Command not found: patient:list"));
    }

    @Test
    public void theDemoCohortIsLoadedOnFirstStart() throws Exception {
        long patients = Eventually.waitFor(() -> records.search(clinician(), new SearchQuery("Patient",
                Map.of("identifier", "https://panacea.example/fhir/sid/mrn|DEMO-60100005"), 10, 0)).total(),
                total -> total == 1, Duration.ofSeconds(90));
        assertEquals(1, patients);
        assertTrue(records.search(clinician(), new SearchQuery("Observation", Map.of("code", "8867-4"), 1, 0)).total() > 5);
    }

    @Test
    public void noPatientNameOrIdentifierIsInTheDatabaseFiles() throws Exception {
        String family = "Plaintextova" + UUID.randomUUID().toString().substring(0, 6).replaceAll("[0-9-]", "q");
        String mrn = "MRN-SCAN-" + UUID.randomUUID().toString().substring(0, 8);
        assertEquals(201, send("POST", "/fhir/Patient", "clinician", patient(family, mrn)).statusCode());
        String id = records.search(clinician(), new SearchQuery("Patient", Map.of("identifier", mrn), 1, 0))
                .matches().get(0).id();
        assertTrue(records.read(clinician(), "Patient", id).json().contains(family));
        // Committed means in Derby's transaction log on disk; the scan covers every database of the platform.
        List<String> found = new ArrayList<>();
        try (Stream<Path> files = Files.walk(Path.of(System.getProperty("karaf.data"), "db"))) {
            for (Path file : files.filter(Files::isRegularFile).toList()) {
                byte[] content = Files.readAllBytes(file);
                for (String secret : List.of(family, mrn, "Philippa")) {
                    if (Bytes.indexOf(content, secret.getBytes(StandardCharsets.UTF_8)) >= 0) {
                        found.add(secret + " in " + file);
                    }
                }
            }
        }
        assertEquals(List.of(), found);
    }

    /** Runs a console command as {@code user} (logged in through the realm, like an ssh session) and its output. */
    private String console(String user, String command) throws Exception {
        return Console.run(sessionFactory, user, command);
    }
}
