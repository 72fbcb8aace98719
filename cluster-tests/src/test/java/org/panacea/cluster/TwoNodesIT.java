package org.panacea.cluster;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assertions.fail;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.io.IOException;
import java.net.URI;
import java.net.URLEncoder;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.Statement;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import java.util.concurrent.Callable;
import java.util.concurrent.CyclicBarrier;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.Assumptions;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.MethodOrderer;
import org.junit.jupiter.api.Order;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestMethodOrder;

/**
 * Two nodes of the built distribution on one PostgreSQL database, as docs/operations.md "Several nodes on one
 * PostgreSQL" describes them: the same passphrase from the environment and nothing else of the keys, each its own
 * {@code karaf.name}, one anchor folder. The steps build on each other, hence one ordered class.
 */
@TestMethodOrder(MethodOrderer.OrderAnnotation.class)
class TwoNodesIT {

    private static final String MRN_SYSTEM = "https://panacea.example/fhir/sid/mrn";
    private static final ObjectMapper JSON = new ObjectMapper();
    private static final java.net.http.HttpClient HTTP = java.net.http.HttpClient.newHttpClient();
    private static final Duration START = Duration.ofSeconds(240);
    /** Clinicians of the alert test's bursts, each with a window of their own (the others read charts too). */
    private static final String BULK_READER = "bulkreader";
    private static final String SECOND_BULK_READER = "bulkreader2";

    private static Path work;
    /** The test's database, as the test itself reaches it (the server's URL with the database's name). */
    private static String databaseUrl;
    /** The PostgreSQL server the test was given, as a superuser reaches it. */
    private static String serverUrl;
    private static Node a;
    private static Node b;
    /** Every create a node acknowledged with a 201: MRN and id. */
    private static final Map<String, String> ACKNOWLEDGED = new java.util.concurrent.ConcurrentHashMap<>();
    /** Every image a node acknowledged with a 200: WADO-RS path and the bytes sent. */
    private static final Map<String, byte[]> ACKNOWLEDGED_IMAGES = new java.util.concurrent.ConcurrentHashMap<>();
    /** The UIDs of this run's CT copies (see {@link SampleCt}), and the last copy number taken. */
    private static final long IMAGE_RUN = SampleCt.newRun();
    private static final AtomicInteger NEXT_COPY = new AtomicInteger(10_000);
    private static boolean failed;

    @BeforeAll
    static void startTwoNodes() throws Exception {
        String server = System.getProperty("panacea.test.postgres.url", "");
        if (server.isBlank()) {
            if (Boolean.parseBoolean(System.getProperty("panacea.test.postgres.required", "false"))) {
                fail("panacea.test.postgres.url names no PostgreSQL server, and CI requires the two-node test");
            }
            Assumptions.abort("No PostgreSQL server named (panacea.test.postgres.url): the two-node test is skipped");
        }
        work = Path.of(System.getProperty("panacea.cluster.work", "target/cluster"));
        Node.deleteTree(work);
        Files.createDirectories(work);
        serverUrl = server;
        durable(true);
        Node.Database database = Node.freshDatabase(server, "panacea_cluster_");
        databaseUrl = database.url() + "?user=" + database.user() + "&password=" + database.password();
        Path distribution = Path.of(System.getProperty("panacea.cluster.distribution"));
        Path anchors = Files.createDirectories(work.resolve("audit-anchors"));
        String passphrase = "cluster-test-" + UUID.randomUUID();
        a = Node.unpack(distribution, work.resolve("node-a"), "node-a", database, anchors, passphrase, true);
        b = Node.unpack(distribution, work.resolve("node-b"), "node-b", database, anchors, passphrase, true);
        assertEquals(List.of(), a.keyFiles(), "the distribution's etc/ holds key material");
        for (Node node : List.of(a, b)) {
            addClinicians(node, BULK_READER, SECOND_BULK_READER);
        }
        // Both at once on the empty database: one makes the keys, the other finds them.
        a.start();
        b.start();
        a.awaitReady(START);
        b.awaitReady(START);
        assertEquals(List.of(), a.keyFiles(), "a node wrote key material into etc/");
        assertEquals(List.of(), b.keyFiles(), "a node wrote key material into etc/");
    }

    @AfterAll
    static void stopBoth() throws Exception {
        for (Node node : new Node[] {a, b}) {
            if (node != null) {
                node.close();
                node.keepLogs(work.resolve("logs"));
            }
        }
        if (serverUrl != null) {
            durable(false);
        }
    }

    /**
     * Turns the server's {@code fsync} and {@code synchronous_commit} on for this test, or back to the server's own
     * settings ({@code .ci/postgres} runs without them, which is faster and fine for tests that kill no database):
     * an acknowledged write here is on disk, as in production.
     */
    private static void durable(boolean on) throws Exception {
        try (Connection connection = DriverManager.getConnection(serverUrl);
                Statement statement = connection.createStatement()) {
            for (String setting : List.of("fsync", "synchronous_commit")) {
                statement.execute(on ? "ALTER SYSTEM SET " + setting + " = on" : "ALTER SYSTEM RESET " + setting);
            }
            statement.execute("SELECT pg_reload_conf()");
        }
        if (on) {
            long deadline = System.nanoTime() + Duration.ofSeconds(10).toNanos();
            while (!serverSetting("fsync").equals("on") || !serverSetting("synchronous_commit").equals("on")) {
                if (System.nanoTime() > deadline) {
                    fail("fsync and synchronous_commit are not on after ALTER SYSTEM and a reload: fsync = "
                            + serverSetting("fsync") + " (set on the server's command line?)");
                }
                Thread.sleep(100);
            }
        }
    }

    private static String serverSetting(String name) throws Exception {
        try (Connection connection = DriverManager.getConnection(serverUrl);
                Statement statement = connection.createStatement();
                java.sql.ResultSet value = statement.executeQuery("SHOW " + name)) {
            value.next();
            return value.getString(1);
        }
    }

    @Test
    @Order(1)
    void concurrentCreatesOnBothNodesAreAllStoredAndReadableFromEither() throws Exception {
        List<Result> results = load(6, 8, null);
        for (Result result : results) {
            assertTrue(result.acknowledged(), () -> result + " was not acknowledged");
        }
        for (Result result : results) {
            if (!result.image) {
                assertReadable(result.node == a ? b : a, result.mrn, result.id);
            }
        }
        assertTrue(results.stream().anyMatch(Result::image), "the load stores images too");
        assertImagesRetrievable(a);
        assertImagesRetrievable(b);
    }

    @Test
    @Order(2)
    void oneMrnCreatedOnBothNodesAtOnceIsStoredOnceAndTheOtherIsA422() throws Exception {
        ExecutorService pool = Executors.newFixedThreadPool(2);
        try {
            for (int round = 0; round < 5; round++) {
                String mrn = "DUP-" + UUID.randomUUID();
                CyclicBarrier together = new CyclicBarrier(2);
                List<Future<Result>> both = new ArrayList<>();
                for (Node node : List.of(a, b)) {
                    both.add(pool.submit(() -> {
                        together.await();
                        return create(node, mrn);
                    }));
                }
                List<Integer> statuses = new ArrayList<>();
                for (Future<Result> future : both) {
                    statuses.add(future.get().status);
                }
                Collections.sort(statuses);
                assertEquals(List.of(201, 422), statuses, "one MRN on both nodes at once: " + mrn);
                for (Node node : List.of(a, b)) {
                    assertEquals(1, search(node, mrn).size(), mrn + " is stored once, as " + node.name + " sees it");
                }
            }
        } finally {
            pool.shutdownNow();
        }
    }

    @Test
    @Order(3)
    void aNodeKilledMidLoadLosesNoAcknowledgedCreateAndTheChainVerifies() throws Exception {
        AtomicBoolean killed = new AtomicBoolean();
        List<Result> results = load(6, 12, () -> {
            a.kill();
            killed.set(true);
            return null;
        });
        assertTrue(killed.get());
        long acknowledgedByA = results.stream().filter(r -> r.node == a && r.acknowledged()).count();
        long acknowledgedByB = results.stream().filter(r -> r.node == b && r.acknowledged()).count();
        System.out.printf("kill -9 mid-load: node-a acknowledged %d, node-b %d, %d calls to node-a failed%n",
                acknowledgedByA, acknowledgedByB, results.stream().filter(r -> r.node == a && !r.acknowledged())
                        .count());
        for (Result result : results) {
            if (result.node == b) {
                assertTrue(result.acknowledged(), () -> "the survivor refused " + result);
            }
        }
        for (String mrn : ACKNOWLEDGED.keySet()) {
            assertReadable(b, mrn, ACKNOWLEDGED.get(mrn));
        }
        assertImagesRetrievable(b);
        assertChainIntact(b);
    }

    @Test
    @Order(4)
    void theKilledNodeRejoinsAndServesWhatTheOtherWrote() throws Exception {
        a.start();
        a.awaitReady(START);
        for (String mrn : ACKNOWLEDGED.keySet()) {
            assertReadable(a, mrn, ACKNOWLEDGED.get(mrn));
        }
        assertImagesRetrievable(a);
        Result fromA = create(a, "REJOIN-" + UUID.randomUUID());
        assertEquals(201, fromA.status, fromA::toString);
        assertReadable(b, fromA.mrn, fromA.id);
        assertChainIntact(a);
    }

    @Test
    @Order(5)
    void aKeyRotatedOnOneNodeIsUsedByTheOthersNextWrite() throws Exception {
        Assumptions.assumeTrue(Node.sshClientPresent(), "no ssh client to run key:rotate in the console");
        int before = activeKeyVersion(b);
        String output = a.console("key:rotate");
        long deadline = System.nanoTime() + Duration.ofSeconds(10).toNanos();
        while (activeKeyVersion(b) == before && System.nanoTime() < deadline) {
            Thread.sleep(200);
        }
        int rotated = before + 1;
        assertEquals(rotated, activeKeyVersion(b), "node-b's active key version after key:rotate on node-a: " + output);
        // A node looks for a newer data key at most once a second (docs/operations.md, key rotation).
        Thread.sleep(1100);
        Result fromB = create(b, "ROTATED-" + UUID.randomUUID());
        assertEquals(201, fromB.status, fromB::toString);
        assertEquals(rotated, sealingKeyVersion(fromB.id), "the key version sealing node-b's write after the rotation");
        assertReadable(a, fromB.mrn, fromB.id);
        assertChainIntact(b);
    }

    @Test
    @Order(6)
    void aVendorTrustedOnOneNodeIsTrustedOnTheOtherAndUntrustedLikewise() throws Exception {
        Assumptions.assumeTrue(Node.sshClientPresent(), "no ssh client to run plugin:trust in the console");
        Path keys = Files.createDirectories(work.resolve("vendor-keys"));
        Path certificate = keys.resolve("cluster-vendor.pem");
        keytool("-genkeypair", "-keystore", keys.resolve("vendor.p12").toString(), "-storetype", "PKCS12",
                "-storepass", "changeit", "-alias", "vendor", "-keyalg", "EC", "-groupname", "secp256r1", "-dname",
                "CN=Cluster Test Vendor, O=Test", "-validity", "2");
        keytool("-exportcert", "-rfc", "-keystore", keys.resolve("vendor.p12").toString(), "-storepass", "changeit",
                "-alias", "vendor", "-file", certificate.toString());
        Path imports = Files.createDirectories(a.home.resolve("data/import"));
        Files.copy(certificate, imports.resolve("cluster-vendor.pem"));

        String trusted = a.console("plugin:trust --alias cluster-vendor cluster-vendor.pem");
        assertTrue(trusted.contains("Recorded for every node"), trusted);
        Path onB = b.home.resolve("etc/trusted-vendors/cluster-vendor.pem");
        awaitOrFail(() -> Files.exists(onB), "node-b never trusted the vendor node-a trusted: " + trusted);
        assertTrue(b.console("plugin:vendors").contains("cluster-vendor"));

        String untrusted = a.console("plugin:untrust cluster-vendor");
        awaitOrFail(() -> !Files.exists(onB), "node-b still trusts the vendor node-a untrusted: " + untrusted);
        assertFalse(b.console("plugin:vendors").contains("cluster-vendor"));
    }

    /**
     * docs/operations.md "Upgrading a plugin without a failed request", carried out behind HAProxy configured as the
     * same page shows it: clients call the window/level plugin through the balancer without pause while each node
     * in turn is drained, given the plugin's next version (built from the plugin's source and signed as its vendor
     * would) with {@code bundle:update}, checked and put back. No call fails, calls are answered by the old version
     * and then the new, and both nodes end on the new version.
     */
    @Test
    @Order(7)
    void aPluginUpgradedNodeByNodeBehindTheBalancerFailsNoRequestAndEndsNewOnBoth() throws Exception {
        Assumptions.assumeTrue(Node.sshClientPresent(), "no ssh client to run bundle:update in the console");
        if (!Balancer.present()) {
            if (Boolean.parseBoolean(System.getProperty("panacea.test.postgres.required", "false"))) {
                fail("haproxy is not installed, and CI requires the rolling upgrade test (.ci/run installs it)");
            }
            Assumptions.abort("haproxy is not installed: the rolling upgrade test is skipped");
        }
        long run = SampleCt.newRun();
        HttpResponse<String> stored = a.stow(List.of(SampleCt.withNewUids(SampleCt.original(), run, 10_000)));
        assertTrue(stored.statusCode() / 100 == 2, stored::body);
        String instance = SampleCt.instanceUid(run, 10_000);
        String released = PluginRebuild.releasedVersion();
        assertEquals(released, algorithmVersion(a));
        assertEquals(released, algorithmVersion(b));
        String next = released.replaceFirst("\\d+$", "") + (Integer.parseInt(released.replaceFirst(".*\\.", "")) + 1);
        Path upgrade = PluginRebuild.windowLevel(work.resolve("plugin-" + next), next);

        try (Balancer balancer = Balancer.start(work.resolve("balancer"), List.of(a, b))) {
            for (Node node : List.of(a, b)) {
                balancer.await(node.name, row -> row.get("status").equals("UP"), "UP", Duration.ofSeconds(30));
            }
            AtomicBoolean calling = new AtomicBoolean(true);
            List<String> failures = Collections.synchronizedList(new ArrayList<>());
            List<String> versions = Collections.synchronizedList(new ArrayList<>());
            ExecutorService clients = Executors.newFixedThreadPool(4);
            List<Future<?>> running = new ArrayList<>();
            for (int c = 0; c < 4; c++) {
                running.add(clients.submit(() -> {
                    while (calling.get()) {
                        try {
                            HttpResponse<String> answer = windowLevel(balancer.port, instance);
                            if (answer.statusCode() != 200) {
                                failures.add(answer.statusCode() + " " + answer.body());
                            } else {
                                versions.add(JSON.readTree(answer.body()).path("algorithm").path("version")
                                        .asText());
                            }
                        } catch (Exception e) {
                            failures.add(e.toString());
                        }
                    }
                    return null;
                }));
            }
            Thread.sleep(2000);
            Map<String, Integer> answeredWhileOut = new java.util.LinkedHashMap<>();
            for (Node node : List.of(a, b)) {
                int before = versions.size();
                balancer.admin("set server panacea_nodes/" + node.name + " state drain");
                balancer.await(node.name, row -> row.get("status").equals("DRAIN") && row.get("scur").equals("0"),
                        "drained with no request under way", Duration.ofSeconds(60));
                String updated = node.console("bundle:update --raw " + PluginRebuild.SYMBOLIC_NAME + " "
                        + upgrade.toUri());
                awaitOrFail(() -> next.equals(algorithmVersionOrNull(node)),
                        node.name + " does not serve version " + next + " after bundle:update: " + updated);
                assertEquals(200, node.send("GET", "/health/ready", "clinician", null).statusCode());
                answeredWhileOut.put(node.name, versions.size() - before);
                balancer.admin("set server panacea_nodes/" + node.name + " state ready");
                balancer.await(node.name, row -> row.get("status").equals("UP"), "UP again", Duration.ofSeconds(30));
                Thread.sleep(2000);
            }
            calling.set(false);
            for (Future<?> client : running) {
                client.get(2, java.util.concurrent.TimeUnit.MINUTES);
            }
            clients.shutdown();

            System.out.println("Rolling upgrade " + released + " -> " + next + ": " + versions.size()
                    + " calls through HAProxy, " + failures.size() + " failed; answered while a node was out: "
                    + answeredWhileOut);
            assertEquals(List.of(), failures, "no call through the balancer fails during the upgrade");
            assertEquals(released, versions.get(0), "the first calls are answered by the released version");
            assertEquals(next, versions.get(versions.size() - 1), "the last calls are answered by the new one");
            for (Map.Entry<String, Integer> out : answeredWhileOut.entrySet()) {
                assertTrue(out.getValue() > 0, "calls were answered while " + out.getKey() + " was out: "
                        + answeredWhileOut);
            }
        }
        assertEquals(next, algorithmVersion(a));
        assertEquals(next, algorithmVersion(b));
        for (Node node : List.of(a, b)) {
            assertTrue(node.console("plugin:list").contains(next), node.name + " lists the new version as admitted");
        }
    }

    /**
     * A setting that must agree between nodes, set once with {@code setting:set} on one node, reaches the other's
     * configuration (its {@code etc/} file, where Karaf writes Config Admin's changes) without a restart, and is
     * removed likewise; a setting that is each node's own is refused.
     */
    @Test
    @Order(8)
    void aSettingSharedOnOneNodeReachesTheOtherAndIsRemovedLikewise() throws Exception {
        Assumptions.assumeTrue(Node.sshClientPresent(), "no ssh client to run setting:set in the console");
        Path onB = b.home.resolve("etc/org.panacea.security.cfg");
        String set = a.console("setting:set org.panacea.security login.throttle.user.failures 7");
        assertTrue(set.contains("for every node"), set);
        awaitOrFail(() -> read(onB).matches("(?s).*\\blogin\\.throttle\\.user\\.failures\\s*=\\s*\"?7\"?\\s*(\\R.*)?"),
                "node-b's configuration never got the setting node-a shared: " + set);
        assertTrue(b.console("setting:list").contains("7"), "node-b lists the shared value");

        String refused = a.console("setting:set org.panacea.security keystore.path /tmp/elsewhere.bcfks");
        assertTrue(refused.contains("Nothing changed") && refused.contains("is not a setting shared between nodes"),
                refused);

        String unset = b.console("setting:unset org.panacea.security login.throttle.user.failures");
        assertTrue(unset.contains("removed"), unset);
        Path onA = a.home.resolve("etc/org.panacea.security.cfg");
        awaitOrFail(() -> !read(onA).matches("(?s).*\\blogin\\.throttle\\.user\\.failures\\s*=\\s*\"?7.*"),
                "node-a kept the setting node-b removed: " + unset);
    }

    /**
     * README "Alerts": one node at a time evaluates the rules over every node's audit entries. A clinician reading 60
     * distinct charts within a minute, 30 on each node in turn, passes the bulk-access threshold (50) once: exactly
     * one BULK_ACCESS alert, which both nodes list (counted per node, as before, it would be none; evaluated by both,
     * two). Then the node evaluating the rules is killed: the other takes over once the lease expired and raises the
     * alert of a new burst. Kills a node, so it runs last.
     */
    @Test
    @Order(9)
    void aBurstSpreadOverBothNodesRaisesOneAlertAndAnotherNodeTakesOverFromAKilledEvaluator() throws Exception {
        // The setting shared just before reconfigures components of both nodes: start once both serve.
        a.awaitReady(START);
        b.awaitReady(START);
        List<String> charts = new ArrayList<>();
        for (int i = 0; i < 60; i++) {
            Result created = create(i % 2 == 0 ? a : b, "BULK-" + UUID.randomUUID());
            assertEquals(201, created.status, created::toString);
            charts.add(created.id);
        }
        for (int i = 0; i < charts.size(); i++) {
            HttpResponse<String> read = (i % 2 == 0 ? a : b).send("GET", "/fhir/Patient/" + charts.get(i),
                    BULK_READER, null);
            assertEquals(200, read.statusCode(), read::body);
        }
        JsonNode raised = awaitBulkAccessAlert(b, BULK_READER);
        // A second alert of the same burst would come within the evaluator's poll interval (1 s): give it three.
        Thread.sleep(3000);
        for (Node node : List.of(a, b)) {
            List<JsonNode> listed = bulkAccessAlerts(node, BULK_READER);
            assertEquals(1, listed.size(), () -> node.name + " lists " + listed);
            assertEquals(raised.path("id").asLong(), listed.get(0).path("id").asLong());
        }

        Node evaluator = alertEvaluator().equals(a.name) ? a : b;
        Node survivor = evaluator == a ? b : a;
        evaluator.kill();
        long killed = System.nanoTime();
        for (String chart : charts) {
            HttpResponse<String> read = survivor.send("GET", "/fhir/Patient/" + chart, SECOND_BULK_READER, null);
            assertEquals(200, read.statusCode(), read::body);
        }
        JsonNode afterKill = awaitBulkAccessAlert(survivor, SECOND_BULK_READER);
        System.out.printf("alert evaluator %s killed; %s raised the next burst's alert %.1f s later%n", evaluator.name,
                survivor.name, (System.nanoTime() - killed) / 1e9);
        assertEquals(survivor.name, afterKill.path("node").asText(), afterKill::toString);
        assertEquals(survivor.name, alertEvaluator());
        assertEquals(1, bulkAccessAlerts(survivor, SECOND_BULK_READER).size());
    }

    /** Waits (at most a minute: a takeover waits for the lease to expire) for {@code actor}'s BULK_ACCESS alert. */
    private static JsonNode awaitBulkAccessAlert(Node node, String actor) throws Exception {
        long deadline = System.nanoTime() + Duration.ofSeconds(60).toNanos();
        while (true) {
            List<JsonNode> alerts = bulkAccessAlerts(node, actor);
            if (!alerts.isEmpty()) {
                return alerts.get(0);
            }
            if (System.nanoTime() > deadline) {
                fail(node.name + " lists no BULK_ACCESS alert about " + actor + " within 60 s");
            }
            Thread.sleep(500);
        }
    }

    /** The BULK_ACCESS alerts about {@code actor} that {@code node} lists to an auditor. */
    private static List<JsonNode> bulkAccessAlerts(Node node, String actor) throws Exception {
        HttpResponse<String> response = node.send("GET", "/api/alerts?status=all&_count=1000", "auditor", null);
        assertEquals(200, response.statusCode(), response::body);
        List<JsonNode> alerts = new ArrayList<>();
        for (JsonNode alert : JSON.readTree(response.body()).path("alerts")) {
            if (alert.path("rule").asText().equals("BULK_ACCESS") && alert.path("actor").asText().equals(actor)) {
                alerts.add(alert);
            }
        }
        return alerts;
    }

    /** The node holding the alert evaluation lease, as the shared database says. */
    private static String alertEvaluator() throws Exception {
        try (Connection connection = DriverManager.getConnection(databaseUrl);
                Statement statement = connection.createStatement();
                java.sql.ResultSet row = statement.executeQuery("SELECT HOLDER FROM PANACEA_ALERT_EVALUATOR")) {
            assertTrue(row.next(), "no node ever took the alert evaluation lease");
            return row.getString(1);
        }
    }

    /**
     * Adds clinicians to the node's users (their password their name, hashed at their first login, as
     * docs/operations.md says) and gives them every chart, as the demo clinician has.
     */
    private static void addClinicians(Node node, String... names) throws IOException {
        Path users = node.home.resolve("etc/users.properties");
        Path care = node.home.resolve("etc/org.panacea.records.care.cfg");
        StringBuilder lines = new StringBuilder(System.lineSeparator());
        String members = String.join("+", names);
        for (String name : names) {
            lines.append(name).append(" = ").append(name).append(",clinician").append(System.lineSeparator());
        }
        Files.writeString(users, Files.readString(users) + lines);
        String rules = Files.readString(care);
        String widened = rules.replaceFirst("(?m)^(departments\\s*=\\s*\\*=.*)$", "$1+" + members);
        assertFalse(widened.equals(rules), "no department rule for every chart in " + care);
        Files.writeString(care, widened);
    }

    private static String read(Path file) {
        try {
            return Files.readString(file);
        } catch (IOException e) {
            return "";
        }
    }

    /** The window/level algorithm run on {@code instance} through {@code port}, as a clinician. */
    private static HttpResponse<String> windowLevel(int port, String instance) throws Exception {
        return HTTP.send(java.net.http.HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + port
                + "/api/algorithms/" + PluginRebuild.ALGORITHM + "/$run"))
                .timeout(Duration.ofSeconds(60))
                .header("Authorization", "Basic " + java.util.Base64.getEncoder()
                        .encodeToString("clinician:clinician".getBytes(StandardCharsets.UTF_8)))
                .header("Content-Type", "application/json")
                .POST(java.net.http.HttpRequest.BodyPublishers.ofString("{\"instance\":\"" + instance
                        + "\",\"parameters\":{}}")).build(), HttpResponse.BodyHandlers.ofString());
    }

    /** The version of the window/level algorithm {@code node} lists in {@code /api/algorithms}. */
    private static String algorithmVersion(Node node) throws Exception {
        HttpResponse<String> listed = node.send("GET", "/api/algorithms", "clinician", null);
        assertEquals(200, listed.statusCode(), listed::body);
        for (JsonNode algorithm : JSON.readTree(listed.body())) {
            if (algorithm.path("id").asText().equals(PluginRebuild.ALGORITHM)) {
                return algorithm.path("version").asText();
            }
        }
        throw new AssertionError(node.name + " lists no " + PluginRebuild.ALGORITHM + ": " + listed.body());
    }

    private static String algorithmVersionOrNull(Node node) {
        try {
            return algorithmVersion(node);
        } catch (Exception | AssertionError notNow) {
            return null;
        }
    }

    private static void awaitOrFail(java.util.function.BooleanSupplier condition, String failure)
            throws InterruptedException {
        long deadline = System.nanoTime() + Duration.ofSeconds(15).toNanos();
        while (!condition.getAsBoolean()) {
            if (System.nanoTime() > deadline) {
                fail(failure);
            }
            Thread.sleep(200);
        }
    }

    private static void keytool(String... arguments) throws Exception {
        List<String> command = new ArrayList<>();
        command.add(Path.of(System.getProperty("java.home"), "bin", "keytool").toString());
        command.addAll(List.of(arguments));
        Process process = new ProcessBuilder(command).redirectErrorStream(true).start();
        String output = new String(process.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
        assertEquals(0, process.waitFor(), "keytool: " + output);
    }

    /**
     * {@code threads} callers each make {@code perThread} creates, alternating between the nodes; with
     * {@code midway}, it is run once a third of the creates are done while the callers go on.
     */
    private static List<Result> load(int threads, int perThread, Callable<Void> midway) throws Exception {
        ExecutorService pool = Executors.newFixedThreadPool(threads);
        AtomicInteger done = new AtomicInteger();
        List<Future<List<Result>>> callers = new ArrayList<>();
        try {
            for (int t = 0; t < threads; t++) {
                int caller = t;
                callers.add(pool.submit(() -> {
                    List<Result> results = new ArrayList<>();
                    for (int i = 0; i < perThread; i++) {
                        Node node = (caller + i) % 2 == 0 ? a : b;
                        results.add(i % 4 == 3 ? store(node, NEXT_COPY.incrementAndGet())
                                : create(node, "MRN-" + UUID.randomUUID()));
                        done.incrementAndGet();
                    }
                    return results;
                }));
            }
            if (midway != null) {
                while (done.get() < threads * perThread / 3) {
                    Thread.sleep(20);
                }
                midway.call();
            }
            List<Result> all = new ArrayList<>();
            for (Future<List<Result>> future : callers) {
                all.addAll(future.get());
            }
            return all;
        } finally {
            pool.shutdownNow();
        }
    }

    /** One create; a call whose connection fails (a killed node) is a status 0, never acknowledged. */
    private static Result create(Node node, String mrn) throws InterruptedException {
        String patient = "{\"resourceType\":\"Patient\",\"identifier\":[{\"system\":\"" + MRN_SYSTEM + "\",\"value\":\""
                + mrn + "\"}],\"name\":[{\"family\":\"Cluster\",\"given\":[\"Node\"]}],\"gender\":\"female\","
                + "\"birthDate\":\"1970-01-01\"}";
        try {
            HttpResponse<String> response = node.send("POST", "/fhir/Patient", "clinician", patient);
            String id = null;
            if (response.statusCode() == 201) {
                id = JSON.readTree(response.body()).path("id").asText();
                ACKNOWLEDGED.put(mrn, id);
            } else if (response.statusCode() >= 500) {
                System.out.println(node.name + " answered " + response.statusCode() + ": " + response.body());
            }
            return new Result(node, mrn, response.statusCode(), id, false);
        } catch (IOException connectionLost) {
            return new Result(node, mrn, 0, null, false);
        }
    }

    /**
     * One STOW-RS store of a CT copy of its own (all of one patient, so stores on both nodes race to create it); a
     * call whose connection fails is a status 0, never acknowledged.
     */
    private static Result store(Node node, int copy) throws InterruptedException {
        try {
            byte[] file = SampleCt.withNewUids(SampleCt.original(), IMAGE_RUN, copy);
            String path = SampleCt.wadoPath(IMAGE_RUN, copy);
            HttpResponse<String> response = node.stow(List.of(file));
            if (response.statusCode() == 200) {
                ACKNOWLEDGED_IMAGES.put(path, file);
            } else if (response.statusCode() >= 500) {
                System.out.println(node.name + " answered " + response.statusCode() + ": " + response.body());
            }
            return new Result(node, path, response.statusCode(), null, true);
        } catch (IOException connectionLost) {
            return new Result(node, SampleCt.wadoPath(IMAGE_RUN, copy), 0, null, true);
        }
    }

    /** Every image acknowledged so far reads back from {@code node} byte for byte as it was sent. */
    private static void assertImagesRetrievable(Node node) throws Exception {
        for (Map.Entry<String, byte[]> image : ACKNOWLEDGED_IMAGES.entrySet()) {
            HttpResponse<byte[]> response = HTTP.send(java.net.http.HttpRequest.newBuilder(URI.create(
                    "http://127.0.0.1:" + node.httpPort + image.getKey()))
                    .timeout(Duration.ofSeconds(60))
                    .header("Authorization", "Basic " + java.util.Base64.getEncoder()
                            .encodeToString("clinician:clinician".getBytes(StandardCharsets.UTF_8)))
                    .header("Accept", "application/dicom").GET().build(), HttpResponse.BodyHandlers.ofByteArray());
            assertEquals(200, response.statusCode(), () -> node.name + " cannot retrieve " + image.getKey());
            org.junit.jupiter.api.Assertions.assertArrayEquals(image.getValue(), response.body(),
                    node.name + " serves " + image.getKey() + " as it was stored");
        }
    }

    private static void assertReadable(Node node, String mrn, String id) throws Exception {
        HttpResponse<String> response = node.send("GET", "/fhir/Patient/" + id, "clinician", null);
        assertEquals(200, response.statusCode(), () -> node.name + " cannot read Patient/" + id + ": " + response.body());
        assertTrue(response.body().contains(mrn), () -> node.name + " reads Patient/" + id + " without " + mrn);
    }

    private static List<JsonNode> search(Node node, String mrn) throws Exception {
        HttpResponse<String> response = node.send("GET", "/fhir/Patient?identifier="
                + URLEncoder.encode(MRN_SYSTEM + "|" + mrn, StandardCharsets.UTF_8), "clinician", null);
        assertEquals(200, response.statusCode(), response::body);
        List<JsonNode> entries = new ArrayList<>();
        JSON.readTree(response.body()).path("entry").forEach(entries::add);
        return entries;
    }

    private static void assertChainIntact(Node node) throws Exception {
        HttpResponse<String> response = node.send("GET", "/api/audit/verification", "auditor", null);
        assertEquals(200, response.statusCode(), response::body);
        JsonNode verification = JSON.readTree(response.body());
        System.out.println(node.name + ": " + verification.path("summary").asText());
        assertTrue(verification.path("intact").asBoolean(), () -> node.name + ": " + response.body());
    }

    private static int activeKeyVersion(Node node) throws Exception {
        HttpResponse<String> response = node.send("GET", "/api/keys", "admin", null);
        assertEquals(200, response.statusCode(), response::body);
        for (JsonNode version : JSON.readTree(response.body())) {
            if (version.path("active").asBoolean()) {
                return version.path("version").asInt();
            }
        }
        throw new AssertionError(node.name + " has no active key version: " + response.body());
    }

    /**
     * The key version wrapping the data key that sealed a resource's current row: a sealed value starts with its
     * format byte and the data key's id (4 bytes, big-endian), and each data key row names the version wrapping it.
     */
    private static int sealingKeyVersion(String id) throws Exception {
        try (Connection connection = DriverManager.getConnection(databaseUrl);
                java.sql.PreparedStatement query = connection.prepareStatement("SELECT K.KEK_VERSION FROM"
                        + " PANACEA_RESOURCE R JOIN PANACEA_DATA_KEY K ON K.ID = (get_byte(R.SEALED, 1) << 24)"
                        + " | (get_byte(R.SEALED, 2) << 16) | (get_byte(R.SEALED, 3) << 8) | get_byte(R.SEALED, 4)"
                        + " WHERE R.ID = ?")) {
            query.setString(1, id);
            try (java.sql.ResultSet rows = query.executeQuery()) {
                assertTrue(rows.next(), "no stored row or data key for Patient/" + id);
                return rows.getInt(1);
            }
        }
    }

    /**
     * One call of the load: a Patient create ({@code mrn}, and the {@code id} it got), or with {@code image} a STOW-RS
     * store of a CT ({@code mrn} then holds its WADO-RS path).
     */
    private record Result(Node node, String mrn, int status, String id, boolean image) {
        /** Whether the node acknowledged the write: 201 for a create, 200 for a store. */
        boolean acknowledged() {
            return status == (image ? 200 : 201);
        }

        @Override
        public String toString() {
            return node.name + " " + (image ? "store " : "create ") + mrn + " -> " + status;
        }
    }
}
