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
    private static final Duration START = Duration.ofSeconds(240);

    private static Path work;
    /** The test's database, as the test itself reaches it (the server's URL with the database's name). */
    private static String databaseUrl;
    private static Node a;
    private static Node b;
    /** Every create a node acknowledged with a 201: MRN and id. */
    private static final Map<String, String> ACKNOWLEDGED = new java.util.concurrent.ConcurrentHashMap<>();
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
        Node.Database database = Node.freshDatabase(server, "panacea_cluster_");
        databaseUrl = database.url() + "?user=" + database.user() + "&password=" + database.password();
        Path distribution = Path.of(System.getProperty("panacea.cluster.distribution"));
        Path anchors = Files.createDirectories(work.resolve("audit-anchors"));
        String passphrase = "cluster-test-" + UUID.randomUUID();
        a = Node.unpack(distribution, work.resolve("node-a"), "node-a", database, anchors, passphrase);
        b = Node.unpack(distribution, work.resolve("node-b"), "node-b", database, anchors, passphrase);
        assertEquals(List.of(), a.keyFiles(), "the distribution's etc/ holds key material");
        // Both at once on the empty database: one makes the keys, the other finds them.
        a.start();
        b.start();
        a.awaitReady(START);
        b.awaitReady(START);
        assertEquals(List.of(), a.keyFiles(), "a node wrote key material into etc/");
        assertEquals(List.of(), b.keyFiles(), "a node wrote key material into etc/");
    }

    @AfterAll
    static void stopBoth() {
        for (Node node : new Node[] {a, b}) {
            if (node != null) {
                node.close();
                node.keepLogs(work.resolve("logs"));
            }
        }
    }

    @Test
    @Order(1)
    void concurrentCreatesOnBothNodesAreAllStoredAndReadableFromEither() throws Exception {
        List<Result> results = load(6, 8, null);
        for (Result result : results) {
            assertEquals(201, result.status, () -> result + " was not created");
        }
        for (Result result : results) {
            assertReadable(result.node == a ? b : a, result.mrn, result.id);
        }
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
        long acknowledgedByA = results.stream().filter(r -> r.node == a && r.status == 201).count();
        long acknowledgedByB = results.stream().filter(r -> r.node == b && r.status == 201).count();
        System.out.printf("kill -9 mid-load: node-a acknowledged %d, node-b %d, %d calls to node-a failed%n",
                acknowledgedByA, acknowledgedByB, results.stream().filter(r -> r.node == a && r.status != 201).count());
        for (Result result : results) {
            if (result.node == b) {
                assertEquals(201, result.status, () -> "the survivor refused " + result);
            }
        }
        for (String mrn : ACKNOWLEDGED.keySet()) {
            assertReadable(b, mrn, ACKNOWLEDGED.get(mrn));
        }
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
                        results.add(create(node, "MRN-" + UUID.randomUUID()));
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
            return new Result(node, mrn, response.statusCode(), id);
        } catch (IOException connectionLost) {
            return new Result(node, mrn, 0, null);
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

    private record Result(Node node, String mrn, int status, String id) {
        @Override
        public String toString() {
            return node.name + " " + mrn + " -> " + status;
        }
    }
}
