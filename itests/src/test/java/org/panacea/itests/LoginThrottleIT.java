package org.panacea.itests;

import static org.junit.Assert.assertEquals;
import static org.junit.Assert.assertFalse;
import static org.junit.Assert.assertTrue;
import static org.junit.Assert.fail;
import static org.ops4j.pax.exam.CoreOptions.systemProperty;
import static org.ops4j.pax.exam.karaf.options.KarafDistributionOption.editConfigurationFilePut;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.Socket;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.Base64;
import java.util.List;
import java.util.concurrent.TimeUnit;

import javax.inject.Inject;

import org.apache.karaf.features.BootFinished;
import org.apache.sshd.client.SshClient;
import org.apache.sshd.client.auth.password.UserAuthPasswordFactory;
import org.apache.sshd.client.keyverifier.AcceptAllServerKeyVerifier;
import org.apache.sshd.client.session.ClientSession;
import org.junit.Test;
import org.ops4j.pax.exam.util.Filter;
import org.junit.runner.RunWith;
import org.ops4j.pax.exam.Configuration;
import org.ops4j.pax.exam.Option;
import org.ops4j.pax.exam.junit.PaxExam;
import org.ops4j.pax.exam.spi.reactors.ExamReactorStrategy;
import org.ops4j.pax.exam.spi.reactors.PerClass;
import org.panacea.api.audit.AuditAction;
import org.panacea.api.audit.AuditEntry;
import org.panacea.api.audit.AuditOutcome;
import org.panacea.api.audit.AuditQuery;
import org.panacea.api.audit.AuditTrail;

/**
 * Login throttling over the real doors: HTTP Basic on Jetty and Karaf's ssh server. Requests are sent from two
 * loopback addresses (127.0.0.1 and 127.0.0.2: the client socket is bound to the second) to show that a user
 * throttled at one address still logs in from another. The first back-off is set to 60 s so that it outlasts each
 * test's steps.
 */
@RunWith(PaxExam.class)
@ExamReactorStrategy(PerClass.class)
public class LoginThrottleIT {

    private static final String HTTP_PORT = PanaceaDistribution.freePort();
    private static final String SSH_PORT = PanaceaDistribution.freePort();
    private static final String HERE = "127.0.0.1";
    private static final String ELSEWHERE = "127.0.0.2";

    @Inject
    // Boot can take minutes on a busy machine: Pax Exam would give up on it after 10 s.
    @Filter(timeout = 300_000)
    BootFinished bootFinished;

    @Inject
    AuditTrail audit;

    @Configuration
    public Option[] config() {
        return PanaceaDistribution.options(
                editConfigurationFilePut("etc/org.ops4j.pax.web.cfg", "org.osgi.service.http.port", HTTP_PORT),
                editConfigurationFilePut("etc/org.apache.karaf.shell.cfg", "sshPort", SSH_PORT),
                editConfigurationFilePut("etc/org.panacea.security.cfg", "login.throttle.delay.seconds", "60"),
                systemProperty("panacea.test.http.port").value(HTTP_PORT),
                systemProperty("panacea.test.ssh.port").value(SSH_PORT));
    }

    /** An HTTP answer: status, headers and body as text. */
    private record Answer(int status, String head, String body) {
        String header(String name) {
            for (String line : head.split("\r\n")) {
                int colon = line.indexOf(':');
                if (colon > 0 && line.substring(0, colon).trim().equalsIgnoreCase(name)) {
                    return line.substring(colon + 1).trim();
                }
            }
            return null;
        }
    }

    /** GET /api/session from {@code from} (a local address), with Basic credentials unless {@code user} is null. */
    private static Answer get(String from, String user, String password) throws IOException {
        int port = Integer.parseInt(System.getProperty("panacea.test.http.port"));
        try (Socket socket = new Socket(InetAddress.getByName(HERE), port, InetAddress.getByName(from), 0)) {
            socket.setSoTimeout(20_000);
            StringBuilder request = new StringBuilder("GET /api/session HTTP/1.1\r\nHost: 127.0.0.1:" + port
                    + "\r\nConnection: close\r\n");
            if (user != null) {
                request.append("Authorization: Basic ").append(Base64.getEncoder()
                        .encodeToString((user + ":" + password).getBytes(StandardCharsets.UTF_8))).append("\r\n");
            }
            OutputStream out = socket.getOutputStream();
            out.write(request.append("\r\n").toString().getBytes(StandardCharsets.ISO_8859_1));
            out.flush();
            InputStream in = socket.getInputStream();
            ByteArrayOutputStream bytes = new ByteArrayOutputStream();
            in.transferTo(bytes);
            String text = bytes.toString(StandardCharsets.UTF_8);
            int end = text.indexOf("\r\n\r\n");
            String head = end < 0 ? text : text.substring(0, end);
            String body = end < 0 ? "" : text.substring(end + 4);
            return new Answer(Integer.parseInt(head.split(" ")[1]), head, body);
        }
    }

    /** Waits for the servlet without credentials: a request that never reaches the realm. */
    private static void awaitHttp() throws Exception {
        Answer answer = Eventually.waitFor(() -> get(HERE, null, null), a -> a.status() == 401, Duration.ofSeconds(30));
        assertEquals(401, answer.status());
    }

    /** Whether an ssh password login of {@code user} from {@code from} is accepted by Karaf's ssh server. */
    private static boolean sshLogin(String from, String user, String password) throws IOException {
        SshClient client = SshClient.setUpDefaultClient();
        client.setServerKeyVerifier(AcceptAllServerKeyVerifier.INSTANCE);
        // One password try per connection, as asked: keyboard-interactive would send the password a second time.
        client.setUserAuthFactories(List.of(UserAuthPasswordFactory.INSTANCE));
        client.start();
        try (ClientSession session = client.connect(user,
                new InetSocketAddress(HERE, Integer.getInteger("panacea.test.ssh.port")),
                new InetSocketAddress(from, 0)).verify(20, TimeUnit.SECONDS).getSession()) {
            session.addPasswordIdentity(password);
            try {
                session.auth().verify(20, TimeUnit.SECONDS);
                return true;
            } catch (IOException refused) {
                return false;
            }
        } finally {
            client.stop();
        }
    }

    private List<AuditEntry> entries(String actor, AuditAction action) {
        return audit.search(new AuditQuery(null, actor, action, null, null, 100));
    }

    @Test
    public void httpAnswers429AfterRepeatedFailuresWhileAnotherAddressStillLogsIn() throws Exception {
        awaitHttp();
        for (int i = 1; i <= 5; i++) {
            assertEquals("failure " + i, 401, get(HERE, "nurse", "wrong-" + i).status());
        }
        Answer throttled = get(HERE, "nurse", "nurse");
        assertEquals(throttled.head(), 429, throttled.status());
        long retryAfter = Long.parseLong(throttled.header("Retry-After"));
        assertTrue("Retry-After " + retryAfter, retryAfter > 0 && retryAfter <= 60);
        assertTrue(throttled.body(), throttled.body().contains("\"resourceType\":\"OperationOutcome\""));
        assertTrue(throttled.body(), throttled.body().contains("\"code\":\"throttled\""));
        assertEquals("no login dialog for a throttled client", null, throttled.header("WWW-Authenticate"));
        assertEquals("still refused, right password or not", 429, get(HERE, "nurse", "nurse").status());

        Answer elsewhere = get(ELSEWHERE, "nurse", "nurse");
        assertEquals(elsewhere.head() + elsewhere.body(), 200, elsewhere.status());

        List<AuditEntry> throttling = Eventually.waitFor(() -> entries("nurse", AuditAction.LOGIN_THROTTLED),
                found -> !found.isEmpty(), Duration.ofSeconds(10));
        assertEquals(1, throttling.size());
        assertEquals(HERE, throttling.get(0).event().clientAddress());
        assertEquals(AuditOutcome.DENIED, throttling.get(0).event().outcome());
        // The five failures are logins the realm checked and published; the refused tries never reached it.
        // Eventually.waitFor returns its last answer when time is up: check it before anything else.
        List<AuditEntry> failures = Eventually.waitFor(() -> deniedLogins("nurse"), found -> found.size() >= 5,
                Duration.ofSeconds(10));
        assertEquals("failed logins audited as DENIED within 10 s", 5, failures.size());
        Thread.sleep(1_000); // any login event of the refused tries would be delivered by now
        assertEquals("no login entry for the refused tries", 5, deniedLogins("nurse").size());
    }

    private List<AuditEntry> deniedLogins(String user) {
        return entries(user, AuditAction.LOGIN).stream()
                .filter(entry -> entry.event().outcome() == AuditOutcome.DENIED).toList();
    }

    @Test
    public void theConsoleRefusesAThrottledUserAndHttpSharesTheCount() throws Exception {
        assertTrue("clinician opens the console", sshLogin(HERE, "clinician", "clinician"));
        for (int i = 1; i <= 5; i++) {
            assertFalse("failure " + i, sshLogin(HERE, "clinician", "wrong-" + i));
        }
        assertFalse("the console refuses the throttled user, right password or not",
                sshLogin(HERE, "clinician", "clinician"));
        awaitHttp();
        assertEquals("the same host over HTTP is throttled too", 429, get(HERE, "clinician", "clinician").status());
        assertTrue("the same user from another address opens the console",
                sshLogin(ELSEWHERE, "clinician", "clinician"));
        List<AuditEntry> throttling = Eventually.waitFor(() -> entries("clinician", AuditAction.LOGIN_THROTTLED),
                found -> !found.isEmpty(), Duration.ofSeconds(10));
        if (throttling.size() != 1) {
            fail("one throttling entry expected: " + throttling);
        }
    }
}
