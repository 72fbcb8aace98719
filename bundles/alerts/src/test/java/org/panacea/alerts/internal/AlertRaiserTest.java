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
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.atomic.AtomicInteger;

import org.apache.derby.jdbc.EmbeddedDataSource;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.panacea.alerts.rules.Entries;
import org.panacea.api.alerts.AlertRule;
import org.panacea.api.audit.AuditAction;
import org.panacea.api.audit.AuditEntry;
import org.panacea.api.audit.AuditEvent;
import org.panacea.api.audit.AuditOutcome;
import org.panacea.api.audit.AuditVerification;
import org.panacea.testsupport.RecordingAuditTrail;

import com.icegreen.greenmail.util.GreenMail;
import com.icegreen.greenmail.util.GreenMailUtil;
import com.icegreen.greenmail.util.ServerSetup;
import com.sun.net.httpserver.HttpServer;

import jakarta.mail.internet.MimeMessage;

/**
 * The whole way of an alert on this side of the container: committed entries in, the rule matches once, the alert is
 * stored in Derby, audited as ALERT_RAISED, mailed to a real SMTP server (GreenMail) and posted to a webhook.
 */
class AlertRaiserTest {

    private static final AtomicInteger NEXT = new AtomicInteger();
    private static final Instant T0 = Instant.parse("2026-12-07T10:00:00Z");

    @TempDir
    Path folder;

    private GreenMail smtp;
    private HttpServer webhook;
    private final List<String> posted = new CopyOnWriteArrayList<>();
    private AlertStore store;
    private final RecordingAuditTrail audit = new RecordingAuditTrail();

    @BeforeEach
    void start() throws Exception {
        smtp = new GreenMail(new ServerSetup(freePort(), "127.0.0.1", ServerSetup.PROTOCOL_SMTP));
        smtp.start();
        webhook = HttpServer.create(new InetSocketAddress("127.0.0.1", 0), 0);
        webhook.createContext("/hook", exchange -> {
            posted.add(exchange.getRequestMethod() + " " + exchange.getRequestHeaders().getFirst("Content-Type") + " "
                    + new String(exchange.getRequestBody().readAllBytes(), StandardCharsets.UTF_8));
            exchange.sendResponseHeaders(204, -1);
            exchange.close();
        });
        webhook.start();
        EmbeddedDataSource dataSource = new EmbeddedDataSource();
        dataSource.setDatabaseName(folder.resolve("alerts-" + NEXT.incrementAndGet()).toString());
        dataSource.setCreateDatabase("create");
        store = new AlertStore(dataSource);
    }

    @AfterEach
    void stop() {
        smtp.stop();
        webhook.stop(0);
    }

    private AlertRaiser raiser(Map<String, Object> settings) {
        Map<String, Object> all = new java.util.HashMap<>(Map.of(
                "mail_host", "127.0.0.1", "mail_port", smtp.getSmtp().getPort(),
                "mail_to", "privacy@hospital.example, security@hospital.example",
                "webhook_url", "http://127.0.0.1:" + webhook.getAddress().getPort() + "/hook"));
        all.putAll(settings);
        AlertsConfig config = Configs.alerts(all);
        return new AlertRaiser(new RuleSet(config), store, audit, ConfiguredNotifiers.of(config), "node-a",
                Clock.systemUTC());
    }

    @Test
    void aBulkReadRaisesOneAlertStoredAuditedMailedAndPosted() throws Exception {
        AlertRaiser raiser = raiser(Map.of("notify_include_patient", false));
        List<AuditEntry> batch = new ArrayList<>();
        for (int i = 1; i <= 60; i++) {
            batch.add(Entries.read("dr-mole", "patient-" + i, T0.plusSeconds(i)));
            if (batch.size() == 7) {
                raiser.onCommitted(List.copyOf(batch));
                batch.clear();
            }
        }
        raiser.onCommitted(batch);
        raiser.stop();

        List<AlertStore.StoredAlert> stored = store.list(false, 10);
        assertEquals(1, stored.size());
        assertEquals(AlertRule.BULK_ACCESS, stored.get(0).rule());
        assertEquals("dr-mole", stored.get(0).actor());
        assertEquals("node-a", stored.get(0).node());

        AuditEvent raised = audit.single();
        assertEquals(AuditAction.ALERT_RAISED, raised.action());
        assertEquals("system:alerts", raised.actor());
        assertEquals(stored.get(0).id() + ":BULK_ACCESS:dr-mole", raised.resourceId());

        assertTrue(smtp.waitForIncomingEmail(5000, 2), "one mail per recipient");
        MimeMessage mail = smtp.getReceivedMessages()[0];
        assertEquals("[Panacea alert " + stored.get(0).id() + "] BULK_ACCESS by dr-mole", mail.getSubject());
        String body = GreenMailUtil.getBody(mail);
        assertTrue(body.contains("User: dr-mole"), body);
        assertFalse(body.contains("patient-51"), "the configuration withholds the patient: " + body);
        assertEquals(2, smtp.getReceivedMessages().length);

        assertEquals(1, posted.size());
        String post = posted.get(0);
        assertTrue(post.startsWith("POST application/json {\"id\":" + stored.get(0).id() + ",\"rule\":\"BULK_ACCESS\""),
                post);
        assertFalse(post.contains("patient-51"), post);
    }

    @Test
    void thePatientReferenceIsSentWhenTheConfigurationAllowsIt() throws Exception {
        AlertRaiser raiser = raiser(Map.of());
        raiser.onCommitted(List.of(Entries.event("dr-er", AuditAction.BREAK_GLASS, "p7", "p7", AuditOutcome.SUCCESS,
                T0)));
        raiser.stop();
        assertTrue(smtp.waitForIncomingEmail(5000, 2));
        assertTrue(GreenMailUtil.getBody(smtp.getReceivedMessages()[0]).contains("Patient: Patient/p7"));
        assertTrue(posted.get(0).contains("\"patient\":\"Patient/p7\""), posted.get(0));
        assertEquals(AlertRule.BREAK_GLASS, store.list(true, 5).get(0).rule());
    }

    @Test
    void entriesAboutAlertsNeverRaiseAlerts() throws Exception {
        AlertRaiser raiser = raiser(Map.of("break_glass_enabled", true));
        raiser.onCommitted(List.of(Entries.entry(new AuditEvent("system:alerts", "BREAK_GLASS",
                AuditAction.ALERT_RAISED, "Alert", "1:BREAK_GLASS:dr-er", "p7", AuditOutcome.SUCCESS, "internal", ""),
                T0)));
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
        raiser.onCommitted(List.of(Entries.event("dr-er", AuditAction.BREAK_GLASS, "p7", "p7", AuditOutcome.SUCCESS,
                T0)));
        raiser.stop();
        assertEquals(1, store.list(true, 5).size());
        assertEquals(1, posted.size(), "the webhook still gets it");
        assertEquals(1, audit.events().size(), "and the audit trail (hence syslog)");
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
    }

    private static int freePort() throws IOException {
        try (ServerSocket socket = new ServerSocket(0)) {
            return socket.getLocalPort();
        }
    }
}
