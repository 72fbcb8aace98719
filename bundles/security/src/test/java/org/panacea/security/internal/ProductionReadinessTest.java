package org.panacea.security.internal;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** Production mode against the demo distribution's defaults, and against a hardened configuration. */
class ProductionReadinessTest {

    @TempDir
    Path etc;

    private static final String DEMO_WEB = """
            org.osgi.service.http.enabled = true
            org.osgi.service.http.port = 8181
            org.ops4j.pax.web.listening.addresses = 127.0.0.1
            org.osgi.service.http.secure.enabled = false
            """;

    private static final String HARDENED_WEB = """
            org.osgi.service.http.enabled = false
            org.osgi.service.http.secure.enabled = true
            org.osgi.service.http.port.secure = 8443
            org.ops4j.pax.web.listening.addresses = 0.0.0.0
            """;

    @Test
    void theDemoDefaultsAreEachNamed() throws Exception {
        Path web = Files.writeString(etc.resolve("org.ops4j.pax.web.cfg"), DEMO_WEB);
        Path passphrase = Files.writeString(etc.resolve("panacea-keystore.passphrase"), "random");
        Map<String, String> realm = Map.of("admin", "admin", "nurse", "nurse", "clinician", "a-long-passphrase");

        List<String> problems = ProductionReadiness.problems((user, pw) -> pw.equals(realm.get(user)), passphrase,
                false, web);

        assertEquals(4, problems.size(), problems.toString());
        assertTrue(problems.get(0).startsWith("user 'admin' still has the demo password"), problems.get(0));
        assertTrue(problems.get(1).startsWith("user 'nurse' still has the demo password"), problems.get(1));
        assertTrue(problems.get(2).contains("passphrase lies on disk"), problems.get(2));
        assertTrue(problems.get(3).startsWith("HTTPS is off"), problems.get(3));
    }

    @Test
    void aHardenedInstallationStarts() throws Exception {
        Path web = Files.writeString(etc.resolve("org.ops4j.pax.web.cfg"), HARDENED_WEB);
        assertEquals(List.of(), ProductionReadiness.problems((user, pw) -> false,
                etc.resolve("panacea-keystore.passphrase"), true, web));
    }

    @Test
    void plainHttpIsAllowedOnlyOnLoopbackBesideHttps() throws Exception {
        Path web = Files.writeString(etc.resolve("org.ops4j.pax.web.cfg"), """
                org.osgi.service.http.secure.enabled = true
                org.ops4j.pax.web.listening.addresses = 127.0.0.1
                """);
        assertEquals(List.of(), ProductionReadiness.tlsProblems(web));
        Files.writeString(web, """
                org.osgi.service.http.secure.enabled = true
                org.ops4j.pax.web.listening.addresses = 127.0.0.1,10.1.2.3
                """);
        assertTrue(ProductionReadiness.tlsProblems(web).get(0).startsWith("plain HTTP listens on"));
    }

    @Test
    void noPassphraseAtAllIsNamedToo() throws Exception {
        Path web = Files.writeString(etc.resolve("org.ops4j.pax.web.cfg"), HARDENED_WEB);
        List<String> problems = ProductionReadiness.problems((user, pw) -> false, etc.resolve("none"), false, web);
        assertEquals(1, problems.size());
        assertTrue(problems.get(0).contains("PANACEA_KEYSTORE_PASSPHRASE"));
    }
}
