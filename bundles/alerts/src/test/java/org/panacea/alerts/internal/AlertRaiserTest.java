package org.panacea.alerts.internal;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.net.InetSocketAddress;
import java.net.ServerSocket;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.atomic.AtomicInteger;

import org.apache.derby.jdbc.EmbeddedDataSource;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.panacea.alerts.notify.MailServer;
import org.panacea.api.alerts.AlertRule;
import org.panacea.api.audit.AuditAction;
import org.panacea.api.audit.AuditEvent;
import org.panacea.api.audit.AuditOutcome;
import org.panacea.api.audit.AuditVerification;

import com.sun.net.httpserver.HttpServer;

import jakarta.mail.internet.MimeMessage;

/**
 * The whole way of an alert on this side of the container: entries in the trail, the rule matches once, the alert is
 * stored in Derby, audited as ALERT_RAISED, mailed to a real SMTP server (SubEtha SMTP) and posted to a webhook.
 */
class AlertRaiserTest {

    private static final AtomicInteger NEXT = new AtomicInteger();
    private static final Instant T0 = Instant.parse("2026-12-07T10:00:00Z");

    @TempDir
    Path folder;

    private MailServer smtp;
    private HttpServer webhook;
    private final List<String> posted = new CopyOnWriteArrayList<>();
    private EmbeddedDataSource dataSource;
    private AlertStore store;
    private final SharedTrail audit = new SharedTrail();

    @BeforeEach
    void start() throws Exception {
        smtp = MailServer.start(MailServer.Mode.PLAIN, false, folder);
        webhook = HttpServer.create(new InetSocketAddress("127.0.0.1", 0), 0);
        webhook.createContext("/hook", exchange -> {
            posted.add(exchange.getRequestMethod() + " " + exchange.getRequestHeaders().getFirst("Content-Type") + " "
                    + new String(exchange.getRequestBody().readAllBytes(), StandardCharsets.UTF_8));
            exchange.sendResponseHeaders(204, -1);
            exchange.close();
        });
        webhook.start();
        dataSource = new EmbeddedDataSource();
        dataSource.setDatabaseName(folder.resolve("alerts-" + NEXT.incrementAndGet()).toString());
        dataSource.setCreateDatabase("create");
        store = new AlertStore(dataSource);
    }

    @AfterEach
    void stop() {
        smtp.close();
        webhook.stop(0);
    }

    /** A raiser evaluating when the test says so, holding the lease from the trail's start. */
    private AlertRaiser raiser(Map<String, Object> settings) throws Exception {
        AlertRaiser raiser = new AlertRaiser(config(settings), dataSource, () -> audit,
                ConfiguredNotifiers.of(config(settings)), "node-a", Clock.systemUTC());
        raiser.evaluator().runOnce();
        return raiser;
    }

    private AlertsConfig config(Map<String, Object> settings) {
        Map<String, Object> all = new java.util.HashMap<>(Map.of(
                "mail_host", "127.0.0.1", "mail_port", smtp.port(),
                "mail_to", "privacy@hospital.example, security@hospital.example",
                "webhook_url", "http://127.0.0.1:" + webhook.getAddress().getPort() + "/hook"));
        all.putAll(settings);
        return Configs.alerts(all);
    }

    @Test
    void aBulkReadRaisesOneAlertStoredAuditedMailedAndPosted() throws Exception {
        AlertRaiser raiser = raiser(Map.of("notify_include_patient", false));
        for (int i = 1; i <= 60; i++) {
            audit.read("dr-mole", "patient-" + i, T0.plusSeconds(i));
            if (i % 7 == 0) {
                raiser.evaluator().runOnce();
            }
        }
        raiser.evaluator().runOnce();
        raiser.stop();

        List<AlertStore.StoredAlert> stored = store.list(false, 10);
        assertEquals(1, stored.size());
        assertEquals(AlertRule.BULK_ACCESS, stored.get(0).rule());
        assertEquals("dr-mole", stored.get(0).actor());
        assertEquals("node-a", stored.get(0).node());

        List<AuditEvent> alertEntries = audit.events(AuditAction.ALERT_RAISED);
        assertEquals(1, alertEntries.size(), alertEntries::toString);
        AuditEvent raised = alertEntries.get(0);
        assertEquals(AuditAction.ALERT_RAISED, raised.action());
        assertEquals("system:alerts", raised.actor());
        assertEquals(stored.get(0).id() + ":BULK_ACCESS:dr-mole", raised.resourceId());

        assertTrue(smtp.waitFor(2, 5000), "one mail per recipient");
        MimeMessage mail = smtp.received().get(0).message();
        assertEquals("[Panacea alert " + stored.get(0).id() + "] BULK_ACCESS by dr-mole", mail.getSubject());
        String body = new String(mail.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
        assertTrue(body.contains("User: dr-mole"), body);
        assertFalse(body.contains("patient-51"), "the configuration withholds the patient: " + body);
        assertEquals(2, smtp.received().size());

        assertEquals(1, posted.size());
        String post = posted.get(0);
        assertTrue(post.startsWith("POST application/json {\"id\":" + stored.get(0).id() + ",\"rule\":\"BULK_ACCESS\""),
                post);
        assertFalse(post.contains("patient-51"), post);
    }

    @Test
    void thePatientReferenceIsSentWhenTheConfigurationAllowsIt() throws Exception {
        AlertRaiser raiser = raiser(Map.of());
        audit.breakGlass("dr-er", "p7", T0);
        raiser.evaluator().runOnce();
        raiser.stop();
        assertTrue(smtp.waitFor(2, 5000));
        assertTrue(new String(smtp.received().get(0).message().getInputStream().readAllBytes(),
                StandardCharsets.UTF_8).contains("Patient: Patient/p7"));
        assertTrue(posted.get(0).contains("\"patient\":\"Patient/p7\""), posted.get(0));
        assertEquals(AlertRule.BREAK_GLASS, store.list(true, 5).get(0).rule());
    }

    @Test
    void entriesAboutAlertsNeverRaiseAlerts() throws Exception {
        AlertRaiser raiser = raiser(Map.of("break_glass_enabled", true, "flagged_patients", "p7"));
        audit.add(new AuditEvent("system:alerts", "BREAK_GLASS", AuditAction.ALERT_RAISED, "Alert",
                "1:BREAK_GLASS:dr-er", "p7", AuditOutcome.SUCCESS, "internal", ""), T0);
        audit.add(new AuditEvent("auditor", "auditor", AuditAction.ALERT_ACKNOWLEDGED, "Alert", "1", "p7",
                AuditOutcome.SUCCESS, "10.0.0.2", "checked"), T0);
        assertEquals(2, raiser.evaluator().runOnce(), "both entries are read");
        raiser.stop();
        assertEquals(List.of(), store.list(false, 5));
    }

    @Test
    void aBrokenVerificationRaisesAnAlert() throws Exception {
        AlertRaiser raiser = raiser(Map.of());
        raiser.onVerified(new AuditVerification(true, 3, 0, ""));
        raiser.onVerified(new AuditVerification(false, 3, 2, "entry hash does not match"));
        raiser.stop();
        List<AlertStore.StoredAlert> stored = store.list(false, 5);
        assertEquals(1, stored.size());
        assertEquals(AlertRule.AUDIT_VERIFY_FAILED, stored.get(0).rule());
    }

    @Test
    void aMailServerThatIsDownLosesNoAlert() throws Exception {
        // A port nobody listens on: the mail server is down.
        AlertRaiser raiser = raiser(Map.of("mail_port", freePort()));
        audit.breakGlass("dr-er", "p7", T0);
        raiser.evaluator().runOnce();
        raiser.stop();
        assertEquals(1, store.list(true, 5).size());
        assertEquals(1, posted.size(), "the webhook still gets it");
        assertEquals(1, audit.events(AuditAction.ALERT_RAISED).size(), "and the audit trail (hence syslog)");
    }

    @Test
    void wrongSettingsAreRefusedNamingTheSetting() {
        IllegalArgumentException url = assertThrows(IllegalArgumentException.class,
                () -> ConfiguredNotifiers.of(Configs.alerts(Map.of("webhook_url", "ftp://x/"))));
        assertTrue(url.getMessage().startsWith("webhook.url"), url.getMessage());
        IllegalArgumentException to = assertThrows(IllegalArgumentException.class,
                () -> ConfiguredNotifiers.of(Configs.alerts(Map.of("mail_host", "smtp.example"))));
        assertTrue(to.getMessage().startsWith("mail.to"), to.getMessage());
        IllegalArgumentException header = assertThrows(IllegalArgumentException.class,
                () -> ConfiguredNotifiers.of(Configs.alerts(Map.of("mail_host", "smtp.example", "mail_to",
                        "a@b.example>\r\nBcc: <evil@x.example"))));
        assertTrue(header.getMessage().startsWith("mail.to"), header.getMessage());
        IllegalArgumentException window = assertThrows(IllegalArgumentException.class,
                () -> new RuleSet(Configs.alerts(Map.of("bulk_access_window_minutes", 0))));
        assertTrue(window.getMessage().startsWith("bulk.access.window.minutes"), window.getMessage());
        IllegalArgumentException label = assertThrows(IllegalArgumentException.class,
                () -> new RuleSet(Configs.alerts(Map.of("flagged_labels", "EMP")), (patient, labels) -> false));
        assertTrue(label.getMessage().startsWith("flagged.labels: 'EMP' is not system|code"), label.getMessage());
        IllegalArgumentException poll = assertThrows(IllegalArgumentException.class,
                () -> new AlertRaiser(Configs.alerts(Map.of("evaluator_poll_milliseconds", 6000)), dataSource,
                        () -> audit, List.of(), "node-a", Clock.systemUTC()));
        assertEquals("evaluator.poll.milliseconds must be in 50..5000 (a third of evaluator.lease.seconds), was 6000",
                poll.getMessage());
        IllegalArgumentException lease = assertThrows(IllegalArgumentException.class,
                () -> new AlertRaiser(Configs.alerts(Map.of("evaluator_lease_seconds", 1)), dataSource,
                        () -> audit, List.of(), "node-a", Clock.systemUTC()));
        assertEquals("evaluator.lease.seconds must be at least 2, was 1", lease.getMessage());
    }

    @Test
    void theEvaluatorThreadWaitsForTheTrailThenSeesEntriesWithinThePollInterval() throws Exception {
        java.util.concurrent.atomic.AtomicReference<org.panacea.api.audit.AuditTrail> bound =
                new java.util.concurrent.atomic.AtomicReference<>();
        AlertsConfig config = Configs.alerts(Map.of("evaluator_poll_milliseconds", 200));
        AlertRaiser raiser = new AlertRaiser(config, dataSource, bound::get, List.of(), "node-a", Clock.systemUTC());
        EvaluationThread thread = new EvaluationThread(raiser.evaluator()::runOnce, java.time.Duration.ofMillis(200));
        thread.start();
        try {
            Thread.sleep(500);
            assertFalse(raiser.evaluator().holding(), "no audit trail yet: it waits");
            bound.set(audit);
            long deadline = System.nanoTime() + 10_000_000_000L;
            while (!raiser.evaluator().holding() && System.nanoTime() < deadline) {
                Thread.sleep(20);
            }
            assertTrue(raiser.evaluator().holding(), "the only node takes the lease");
            // An entry another node committed: nothing wakes this one, its poll finds it.
            audit.breakGlass("dr-er", "p9", Instant.now());
            while (store.list(false, 5).isEmpty() && System.nanoTime() < deadline) {
                Thread.sleep(20);
            }
            assertEquals(AlertRule.BREAK_GLASS, store.list(false, 5).get(0).rule());
        } finally {
            thread.stop();
            raiser.stop();
        }
        assertFalse(new EvaluatorLease(dataSource, "other-node", java.time.Duration.ofSeconds(15), Clock.systemUTC())
                .acquire(() -> 0).isEmpty(), "a stopping node releases the lease: another takes it at once");
    }

    private static int freePort() throws IOException {
        try (ServerSocket socket = new ServerSocket(0)) {
            return socket.getLocalPort();
        }
    }
}
