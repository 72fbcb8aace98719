package org.panacea.itests;

import static org.junit.Assert.assertEquals;
import static org.junit.Assert.assertFalse;
import static org.junit.Assert.assertTrue;
import static org.ops4j.pax.exam.CoreOptions.mavenBundle;
import static org.ops4j.pax.exam.CoreOptions.systemProperty;
import static org.ops4j.pax.exam.karaf.options.KarafDistributionOption.editConfigurationFilePut;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.KeyStore;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Base64;
import java.util.Collection;
import java.util.Dictionary;
import java.util.Hashtable;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.TimeUnit;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

import javax.inject.Inject;
import javax.net.ssl.KeyManagerFactory;
import javax.net.ssl.SSLContext;
import javax.net.ssl.SSLServerSocket;
import javax.net.ssl.SSLSocket;

import org.apache.karaf.features.BootFinished;
import org.apache.karaf.shell.api.console.SessionFactory;
import org.junit.Test;
import org.junit.runner.RunWith;
import org.ops4j.pax.exam.Configuration;
import org.ops4j.pax.exam.Option;
import org.ops4j.pax.exam.junit.PaxExam;
import org.ops4j.pax.exam.spi.reactors.ExamReactorStrategy;
import org.ops4j.pax.exam.spi.reactors.PerClass;
import org.ops4j.pax.exam.util.Filter;
import org.osgi.framework.Bundle;
import org.osgi.framework.BundleContext;
import org.osgi.framework.ServiceReference;
import org.osgi.framework.wiring.BundleWiring;
import org.osgi.service.cm.ConfigurationAdmin;
import org.panacea.api.audit.CommittedEntryListener;

import com.icegreen.greenmail.util.GreenMail;
import com.icegreen.greenmail.util.GreenMailUtil;
import com.icegreen.greenmail.util.ServerSetup;
import com.sun.net.httpserver.HttpServer;

import jakarta.mail.internet.MimeMessage;

/**
 * Alerts in the real distribution: a clinician reading 60 charts in a minute raises exactly one bulk-access alert,
 * which reaches a real SMTP server (GreenMail), a local RFC 5425 syslog receiver over TLS (as the audit export's
 * ALERT_RAISED entry) and a local webhook; auditors list and acknowledge it on the console and over HTTP, clinicians
 * are refused both. The privacy officer's access report of one of the charts names the clinician.
 */
@RunWith(PaxExam.class)
@ExamReactorStrategy(PerClass.class)
public class AlertsIT {

    private static final String PORT = PanaceaDistribution.freePort();
    private static final String PASSWORD = "test-only";
    private static final int CHARTS = 60;
    private static final String FLAG_READER = "dr-flag";

    @Inject
    @Filter(timeout = 300_000)
    BootFinished bootFinished;

    @Inject
    ConfigurationAdmin configurationAdmin;

    @Inject
    SessionFactory sessionFactory;

    @Inject
    BundleContext context;

    private final HttpClient http = HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(5)).build();

    @Configuration
    public Option[] config() {
        return PanaceaDistribution.options(
                editConfigurationFilePut("etc/org.ops4j.pax.web.cfg", "org.osgi.service.http.port", PORT),
                // A clinician of the flagged-chart test only: the bulk-read test counts the clinician's distinct
                // charts, which the flagged chart would otherwise add to whichever test runs first.
                editConfigurationFilePut("etc/users.properties", FLAG_READER, FLAG_READER + ",clinician"),
                editConfigurationFilePut("etc/org.panacea.records.care.cfg", "departments",
                        PanaceaDistribution.EVERY_PATIENT_TO_DEMO_USERS + "+" + FLAG_READER),
                systemProperty("panacea.test.http.port").value(PORT),
                // GreenMail, a real SMTP server, runs inside the container beside the test.
                mavenBundle("com.sun.activation", "jakarta.activation", "2.0.1"),
                mavenBundle("com.sun.mail", "jakarta.mail", "2.0.1"),
                mavenBundle("com.icegreen", "greenmail", "2.0.1"));
    }

    @Test
    public void aBulkReadRaisesOneAlertThatIsMailedSysloggedPostedAndAcknowledgedByAnAuditorOnly() throws Exception {
        Path keys = Files.createTempDirectory("alerts-it");
        Path serverStore = serverKey(keys);
        Path trustStore = trustStoreFor(serverStore, keys);
        GreenMail smtp = new GreenMail(new ServerSetup(Integer.parseInt(PanaceaDistribution.freePort()), "127.0.0.1",
                ServerSetup.PROTOCOL_SMTP));
        // GreenMail's connection threads parse each message with Jakarta Mail, which finds its stream encoders through
        // the thread's context class loader; threads inherit it from the thread that starts the server.
        Thread thread = Thread.currentThread();
        ClassLoader previous = thread.getContextClassLoader();
        thread.setContextClassLoader(mailImplementation());
        try {
            smtp.start();
        } finally {
            thread.setContextClassLoader(previous);
        }
        List<String> posted = new CopyOnWriteArrayList<>();
        HttpServer webhook = HttpServer.create(new InetSocketAddress("127.0.0.1", 0), 0);
        webhook.createContext("/hook", exchange -> {
            posted.add(new String(exchange.getRequestBody().readAllBytes(), StandardCharsets.UTF_8));
            exchange.sendResponseHeaders(204, -1);
            exchange.close();
        });
        webhook.start();
        List<String> syslog = new CopyOnWriteArrayList<>();
        SSLServerSocket receiver = tlsReceiver(serverStore, syslog);
        try {
            String hook = "http://127.0.0.1:" + webhook.getAddress().getPort() + "/hook";
            configure("org.panacea.audit.syslog", "target", "tls", "host", "localhost",
                    "port", Integer.toString(receiver.getLocalPort()), "trustStore", trustStore.toString(),
                    ".trustStorePassword", PASSWORD, "connectTimeoutSeconds", "5");
            configure("org.panacea.alerts", "bulk.access.threshold", "50", "bulk.access.window.minutes", "10",
                    "mail.host", "127.0.0.1", "mail.port", Integer.toString(smtp.getSmtp().getPort()),
                    "mail.to", "privacy@hospital.example", "webhook.url", hook, "notify.include.patient", "false");
            // The rules start counting once the alerts component runs with this configuration.
            Eventually.waitFor(() -> context.getServiceReferences(CommittedEntryListener.class,
                    "(webhook.url=" + hook + ")"), found -> !found.isEmpty(), Duration.ofSeconds(60));
            // The syslog export runs with its trust store password, which no bundle can read from the registry.
            Collection<ServiceReference<CommittedEntryListener>> exporters = Eventually.waitFor(
                    () -> context.getServiceReferences(CommittedEntryListener.class, "(target=tls)"),
                    found -> !found.isEmpty(), Duration.ofSeconds(60));
            for (ServiceReference<CommittedEntryListener> exporter : exporters) {
                for (String key : exporter.getPropertyKeys()) {
                    assertFalse(key + " is published", PASSWORD.equals(String.valueOf(exporter.getProperty(key))));
                }
            }

            List<String> ids = new ArrayList<>();
            for (int i = 0; i < CHARTS; i++) {
                HttpResponse<String> created = send("POST", "/fhir/Patient", "clinician", "{\"resourceType\":"
                        + "\"Patient\",\"name\":[{\"family\":\"Bulkread" + i + "\"}],\"gender\":\"male\"}");
                assertEquals(created.body(), 201, created.statusCode());
                ids.add(created.headers().firstValue("Location").orElseThrow()
                        .replaceAll(".*/Patient/([^/]+)/_history/1$", "$1"));
            }
            long started = System.nanoTime();
            for (String id : ids) {
                assertEquals(200, send("GET", "/fhir/Patient/" + id, "clinician", null).statusCode());
            }
            assertTrue("the 60 reads took less than a minute",
                    System.nanoTime() - started < TimeUnit.MINUTES.toNanos(1));

            String open = Eventually.waitFor(() -> send("GET", "/api/alerts", "auditor", null).body(),
                    body -> body.contains("\"rule\":\"BULK_ACCESS\""), Duration.ofSeconds(60));
            // Anything else would have come with the same batches: give stragglers a moment, then count.
            Thread.sleep(2000);
            open = send("GET", "/api/alerts?status=open", "auditor", null).body();
            assertEquals(open, 1, count(open, "\"rule\":\"BULK_ACCESS\""));
            Matcher idMatch = Pattern.compile("\\{\"id\":(\\d+),\"rule\":\"BULK_ACCESS\"").matcher(open);
            assertTrue(open, idMatch.find());
            String id = idMatch.group(1);
            assertTrue(open, open.contains("\"actor\":\"clinician\""));
            assertTrue("the 51st chart raised it: " + open, open.contains("\"patient\":\"Patient/" + ids.get(50)));

            // E-mail, webhook and syslog each got it once.
            assertTrue("an e-mail arrived", smtp.waitForIncomingEmail(30_000, 1));
            MimeMessage mail = smtp.getReceivedMessages()[0];
            assertEquals("[Panacea alert " + id + "] BULK_ACCESS by clinician", mail.getSubject());
            String body = GreenMailUtil.getBody(mail);
            assertFalse("the configuration withholds the patient: " + body, body.contains(ids.get(50)));
            Eventually.waitFor(() -> posted, list -> !list.isEmpty(), Duration.ofSeconds(30));
            assertEquals(1, count(String.join("\n", posted), "\"rule\":\"BULK_ACCESS\""));
            assertTrue(posted.get(0), posted.get(0).startsWith("{\"id\":" + id + ",\"rule\":\"BULK_ACCESS\""));
            String raised = "resourceId=\"" + id + ":BULK_ACCESS:clinician\"";
            Eventually.waitFor(() -> syslog, lines -> lines.stream().anyMatch(line -> line.contains(raised)),
                    Duration.ofSeconds(30));
            String line = syslog.stream().filter(l -> l.contains(raised)).findFirst().orElseThrow();
            assertTrue(line, line.contains("action=\"ALERT_RAISED\"") && line.contains("actor=\"system:alerts\""));

            // The privacy officer's report names the clinician's reads of one of those charts; clinicians get none.
            String report = Console.run(sessionFactory, "auditor", "audit:access Patient/" + ids.get(7));
            assertTrue(report, report.contains("clinician as clinician: ") && report.contains("READ"));
            HttpResponse<String> access = send("GET", "/api/audit/access?patient=Patient/" + ids.get(7), "auditor", null);
            assertEquals(access.body(), 200, access.statusCode());
            assertTrue(access.body(), access.body().contains("{\"user\":\"clinician\",\"why\":\"as clinician\""));
            assertEquals(403, send("GET", "/api/audit/access?patient=Patient/" + ids.get(7), "clinician", null)
                    .statusCode());

            // A clinician can neither list nor acknowledge, on the console or over HTTP.
            String refusedList = Console.run(sessionFactory, "clinician", "alert:list");
            assertFalse(refusedList, refusedList.contains("BULK_ACCESS"));
            String refusedAck = Console.run(sessionFactory, "clinician", "alert:ack " + id + " nothing to see");
            assertFalse(refusedAck, refusedAck.contains("Acknowledged"));
            assertEquals(403, send("GET", "/api/alerts", "clinician", null).statusCode());
            assertEquals(403, send("POST", "/api/alerts/" + id + "/ack", "clinician",
                    "{\"note\":\"nothing to see\"}").statusCode());

            // The auditor lists it and acknowledges it; a second acknowledgement is a conflict.
            String listed = Console.run(sessionFactory, "auditor", "alert:list");
            assertTrue(listed, listed.contains(id + " ") && listed.contains("BULK_ACCESS clinician"));
            String acked = Console.run(sessionFactory, "auditor", "alert:ack " + id + " checked with the ward: audit"
                    + " of discharge letters");
            assertTrue(acked, acked.startsWith("Acknowledged: " + id + " ")
                    && acked.contains("acknowledged by auditor"));
            HttpResponse<String> again = send("POST", "/api/alerts/" + id + "/ack", "auditor", "{\"note\":\"again\"}");
            assertEquals(again.body(), 409, again.statusCode());
            assertEquals(400, send("POST", "/api/alerts/" + id + "/ack", "auditor", "{\"nope\":1}").statusCode());
            String all = send("GET", "/api/alerts?status=all", "auditor", null).body();
            assertTrue(all, all.contains("\"note\":\"checked with the ward: audit of discharge letters\""));
            assertFalse(send("GET", "/api/alerts", "auditor", null).body().contains("{\"id\":" + id + ","));
        } finally {
            receiver.close();
            webhook.stop(0);
            smtp.stop();
        }
    }

    /** The class loader of the distribution's Jakarta Mail implementation (Eclipse Angus). */
    private ClassLoader mailImplementation() {
        for (Bundle bundle : context.getBundles()) {
            if ("org.eclipse.angus.mail".equals(bundle.getSymbolicName())) {
                return bundle.adapt(BundleWiring.class).getClassLoader();
            }
        }
        throw new AssertionError("the distribution has no Eclipse Angus mail bundle");
    }

    @Test
    public void aChartLabelledEmployeeAlertsWhenOpenedAndNoLongerOnceTheLabelIsRemoved() throws Exception {
        // Default labels (v3 ActCode CEL, EMP); every read asks the record afresh, so the test need not wait.
        configure("org.panacea.alerts", "flagged.labels.cache.seconds", "0");
        Eventually.waitFor(() -> context.getServiceReferences(CommittedEntryListener.class,
                "(flagged.labels.cache.seconds=0)"), found -> !found.isEmpty(), Duration.ofSeconds(60));
        String labelled = "\"security\":[{\"system\":\"http://terminology.hl7.org/CodeSystem/v3-ActCode\","
                + "\"code\":\"EMP\"}]";
        // %s: the id and meta; updates name the version they change in meta.versionId.
        String patient = "{\"resourceType\":\"Patient\",%s\"name\":[{\"family\":\"Staffmember\"}],"
                + "\"gender\":\"female\"}";
        HttpResponse<String> created = send("POST", "/fhir/Patient", FLAG_READER, patient.formatted("\"meta\":{"
                + labelled + "},"));
        assertEquals(created.body(), 201, created.statusCode());
        String id = created.headers().firstValue("Location").orElseThrow()
                .replaceAll(".*/Patient/([^/]+)/_history/1$", "$1");

        assertEquals(200, send("GET", "/fhir/Patient/" + id, FLAG_READER, null).statusCode());
        Eventually.waitFor(() -> flaggedAlerts(id), found -> found.size() == 1, Duration.ofSeconds(60));
        assertTrue(flaggedAlerts(id).get(0), flaggedAlerts(id).get(0).contains("\"actor\":\"" + FLAG_READER + "\""));

        // The label is removed by an update: the nurse's opening raises nothing.
        HttpResponse<String> unlabelled = send("PUT", "/fhir/Patient/" + id, FLAG_READER,
                patient.formatted("\"id\":\"" + id + "\",\"meta\":{\"versionId\":\"1\"},"));
        assertEquals(unlabelled.body(), 200, unlabelled.statusCode());
        assertEquals(200, send("GET", "/fhir/Patient/" + id, "nurse", null).statusCode());
        // Rules run on the entries as they commit: give a straggler a moment, then count.
        Thread.sleep(2000);
        assertEquals(flaggedAlerts(id).toString(), 1, flaggedAlerts(id).size());
        // The label back on: the same nurse's next opening does alert (so the silence above was the label's).
        HttpResponse<String> relabelled = send("PUT", "/fhir/Patient/" + id, FLAG_READER,
                patient.formatted("\"id\":\"" + id + "\",\"meta\":{\"versionId\":\"2\"," + labelled + "},"));
        assertEquals(relabelled.body(), 200, relabelled.statusCode());
        assertEquals(200, send("GET", "/fhir/Patient/" + id, "nurse", null).statusCode());
        List<String> alerts = Eventually.waitFor(() -> flaggedAlerts(id), found -> found.size() == 2,
                Duration.ofSeconds(60));
        assertEquals(alerts.toString(), 1, alerts.stream().filter(a -> a.contains("\"actor\":\"nurse\"")).count());
        assertFalse("an alert names no patient data", String.join("", alerts).contains("Staffmember"));
    }

    /** The FLAGGED_CHART alerts (open or not) of {@code patient}, each as its JSON object's text. */
    private List<String> flaggedAlerts(String patient) throws Exception {
        String all = send("GET", "/api/alerts?status=all", "auditor", null).body();
        List<String> found = new ArrayList<>();
        for (String alert : all.split("\\{\"id\":")) {
            if (alert.contains("\"rule\":\"FLAGGED_CHART\"") && alert.contains("\"patient\":\"Patient/" + patient
                    + "\"")) {
                found.add(alert);
            }
        }
        return found;
    }

    private void configure(String pid, String... keysAndValues) throws IOException {
        Dictionary<String, Object> properties = new Hashtable<>();
        for (int i = 0; i < keysAndValues.length; i += 2) {
            properties.put(keysAndValues[i], keysAndValues[i + 1]);
        }
        configurationAdmin.getConfiguration(pid, null).update(properties);
    }

    private HttpResponse<String> send(String method, String path, String user, String body) throws Exception {
        HttpRequest.Builder request = HttpRequest.newBuilder(URI.create("http://127.0.0.1:"
                + System.getProperty("panacea.test.http.port") + path)).timeout(Duration.ofSeconds(60))
                .header("Authorization", "Basic " + Base64.getEncoder().encodeToString((user + ":" + user)
                        .getBytes(StandardCharsets.UTF_8)))
                .method(method, body == null ? HttpRequest.BodyPublishers.noBody()
                        : HttpRequest.BodyPublishers.ofString(body));
        if (body != null) {
            request.header("Content-Type", path.startsWith("/fhir") ? "application/fhir+json" : "application/json");
        }
        // The servlets register a moment after the boot features: wait for them rather than fail on a 404.
        return Eventually.waitFor(() -> http.send(request.build(), HttpResponse.BodyHandlers.ofString()),
                response -> !(response.statusCode() == 404 && response.body().contains("<html")),
                Duration.ofSeconds(60));
    }

    private static int count(String text, String what) {
        int count = 0;
        for (int at = text.indexOf(what); at >= 0; at = text.indexOf(what, at + 1)) {
            count++;
        }
        return count;
    }

    /** A throw-away key for localhost, made with the JDK's keytool, as the audit export's own tests do. */
    private static Path serverKey(Path folder) throws Exception {
        Path store = folder.resolve("server.p12");
        Process keytool = new ProcessBuilder(Path.of(System.getProperty("java.home"), "bin", "keytool").toString(),
                "-genkeypair", "-keystore", store.toString(), "-storetype", "PKCS12", "-storepass", PASSWORD,
                "-alias", "syslog", "-keyalg", "EC", "-groupname", "secp256r1", "-validity", "2",
                "-dname", "CN=localhost", "-ext", "SAN=ip:127.0.0.1,dns:localhost").redirectErrorStream(true).start();
        String output = new String(keytool.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
        assertTrue(output, keytool.waitFor(60, TimeUnit.SECONDS) && keytool.exitValue() == 0);
        return store;
    }

    private static Path trustStoreFor(Path serverStore, Path folder) throws Exception {
        KeyStore trust = KeyStore.getInstance("PKCS12");
        trust.load(null, null);
        trust.setCertificateEntry("syslog", load(serverStore).getCertificate("syslog"));
        Path path = folder.resolve("trust.p12");
        try (OutputStream out = Files.newOutputStream(path)) {
            trust.store(out, PASSWORD.toCharArray());
        }
        return path;
    }

    private static KeyStore load(Path path) throws Exception {
        KeyStore store = KeyStore.getInstance("PKCS12");
        try (InputStream in = Files.newInputStream(path)) {
            store.load(in, PASSWORD.toCharArray());
        }
        return store;
    }

    /** An RFC 5425 receiver on a loopback port: accepts connections one after another and keeps every frame. */
    private static SSLServerSocket tlsReceiver(Path serverStore, List<String> frames) throws Exception {
        KeyManagerFactory keys = KeyManagerFactory.getInstance(KeyManagerFactory.getDefaultAlgorithm());
        keys.init(load(serverStore), PASSWORD.toCharArray());
        SSLContext tls = SSLContext.getInstance("TLS");
        tls.init(keys.getKeyManagers(), null, null);
        SSLServerSocket server = (SSLServerSocket) tls.getServerSocketFactory().createServerSocket(0, 5,
                InetAddress.getLoopbackAddress());
        Thread thread = new Thread(() -> {
            while (!server.isClosed()) {
                try (SSLSocket client = (SSLSocket) server.accept()) {
                    InputStream in = client.getInputStream();
                    for (String frame = frame(in); frame != null; frame = frame(in)) {
                        frames.add(frame);
                    }
                } catch (IOException e) {
                    // A client gone, or the receiver closed: accept the next one, or end.
                }
            }
        }, "alerts-it-syslog");
        thread.setDaemon(true);
        thread.start();
        return server;
    }

    /** {@code MSG-LEN SP SYSLOG-MSG}, or {@code null} at the end of the stream. */
    private static String frame(InputStream in) throws IOException {
        StringBuilder length = new StringBuilder();
        for (int c = in.read(); c != ' '; c = in.read()) {
            if (c < 0) {
                return null;
            }
            length.append((char) c);
        }
        byte[] message = in.readNBytes(Integer.parseInt(length.toString()));
        ByteArrayOutputStream copy = new ByteArrayOutputStream();
        copy.write(message);
        return copy.toString(StandardCharsets.UTF_8);
    }
}
