package org.panacea.security.internal;

import java.io.IOException;
import java.io.Reader;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Properties;
import java.util.function.BiPredicate;

/**
 * What production mode ({@code production = true} in {@code etc/org.panacea.security.cfg}) refuses to start with:
 * the demo users' passwords, a key store passphrase kept on the server's disk, an HTTP server without TLS. Each
 * problem is one line naming what to change; the platform stops when there is any. These are the demo defaults that
 * are convenient on a laptop and indefensible on a hospital network.
 */
final class ProductionReadiness {

    /** The demo distribution's users, each with its own name as password. */
    static final List<String> DEMO_USERS = List.of("admin", "clinician", "nurse", "researcher", "auditor");

    private ProductionReadiness() {
    }

    /**
     * @param loginSucceeds   tries a user name and password against the realm (the realm's own hashing applies)
     * @param passphraseFile  the file the demo keeps the key store passphrase in
     * @param passphraseGiven whether the environment gives the passphrase (a configuration file is a disk too)
     * @param paxWebConfig    {@code etc/org.ops4j.pax.web.cfg}
     */
    static List<String> problems(BiPredicate<String, String> loginSucceeds, Path passphraseFile,
            boolean passphraseGiven, Path paxWebConfig) {
        List<String> problems = new ArrayList<>();
        for (String user : DEMO_USERS) {
            if (loginSucceeds.test(user, user)) {
                problems.add("user '" + user + "' still has the demo password: change it (jaas:user-add " + user
                        + " NEW-PASSWORD, jaas:update) or delete the user");
            }
        }
        if (Files.exists(passphraseFile)) {
            problems.add("the key store passphrase lies on disk in " + passphraseFile + ": give it through the "
                    + "environment variable " + KeyStorePassphrase.ENVIRONMENT_VARIABLE + " and delete the file");
        } else if (!passphraseGiven) {
            problems.add("the key store passphrase does not come from the environment (a configuration file is on "
                    + "disk too): set the environment variable " + KeyStorePassphrase.ENVIRONMENT_VARIABLE);
        }
        problems.addAll(tlsProblems(paxWebConfig));
        return problems;
    }

    /**
     * HTTPS must be on. Plain HTTP may stay only on the loopback interface (for a TLS-terminating proxy on the same
     * host, or a local health check), never on an address the network reaches.
     */
    static List<String> tlsProblems(Path paxWebConfig) {
        Properties web = new Properties();
        try (Reader reader = Files.newBufferedReader(paxWebConfig, StandardCharsets.UTF_8)) {
            web.load(reader);
        } catch (IOException e) {
            return List.of("the HTTP server's configuration " + paxWebConfig + " cannot be read (" + e.getMessage()
                    + "), so TLS cannot be confirmed");
        }
        List<String> problems = new ArrayList<>();
        if (!Boolean.parseBoolean(web.getProperty("org.osgi.service.http.secure.enabled", "false").strip())) {
            problems.add("HTTPS is off: set org.osgi.service.http.secure.enabled = true and a key store in "
                    + paxWebConfig.getFileName());
        }
        boolean plain = Boolean.parseBoolean(web.getProperty("org.osgi.service.http.enabled", "true").strip());
        String addresses = web.getProperty("org.ops4j.pax.web.listening.addresses", "0.0.0.0");
        if (plain && !loopbackOnly(addresses)) {
            problems.add("plain HTTP listens on " + addresses.strip() + ": set org.osgi.service.http.enabled = false"
                    + " (or keep plain HTTP on 127.0.0.1 behind a TLS proxy)");
        }
        return problems;
    }

    private static boolean loopbackOnly(String addresses) {
        for (String address : addresses.split(",")) {
            String a = address.strip();
            if (!(a.startsWith("127.") || a.equals("::1") || a.equalsIgnoreCase("localhost"))) {
                return false;
            }
        }
        return true;
    }
}
