package org.panacea.itests;

import static org.junit.Assert.assertEquals;
import static org.junit.Assert.assertFalse;
import static org.junit.Assert.assertNotNull;
import static org.junit.Assert.assertTrue;
import static org.junit.Assert.fail;
import static org.ops4j.pax.exam.CoreOptions.systemProperty;
import static org.ops4j.pax.exam.karaf.options.KarafDistributionOption.editConfigurationFilePut;

import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.security.Principal;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Collection;
import java.util.EnumSet;
import java.util.List;
import java.util.Set;
import java.util.stream.Collectors;
import java.util.stream.Stream;

import javax.inject.Inject;
import javax.security.auth.Subject;
import javax.security.auth.callback.NameCallback;
import javax.security.auth.callback.PasswordCallback;
import javax.security.auth.login.LoginContext;
import javax.security.auth.login.LoginException;

import org.apache.karaf.features.BootFinished;
import org.apache.karaf.features.FeaturesService;
import org.apache.karaf.jaas.boot.principal.RolePrincipal;
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
import org.osgi.framework.Constants;
import org.osgi.framework.ServiceReference;
import org.osgi.service.cm.ConfigurationAdmin;
import org.panacea.api.audit.AuditAction;
import org.panacea.api.audit.AuditEntry;
import org.panacea.api.audit.AuditQuery;
import org.panacea.api.audit.AuditTrail;
import org.panacea.api.imaging.ImagingAlgorithm;
import org.panacea.api.prediction.PredictionModel;
import org.panacea.api.security.Role;

/**
 * Boots the Panacea distribution once and checks what the foundation promises: every bundle active, the core
 * services registered, every Panacea feature installable, the console working, and the demo users' roles.
 */
@RunWith(PaxExam.class)
@ExamReactorStrategy(PerClass.class)
public class PlatformIT {

    /** The core bundles the panacea-core boot feature must bring up. */
    static final Set<String> CORE_BUNDLES = Set.of("org.panacea.api", "org.panacea.audit", "org.panacea.security",
            "org.panacea.rest");

    /** The core services the panacea-core bundles must register. */
    static final List<String> CORE_SERVICES = List.of(
            "org.panacea.api.audit.AuditTrail",
            "org.panacea.api.security.AccessPolicy",
            "org.panacea.api.security.CallerAuthentication",
            "org.panacea.api.security.FieldEncryption",
            "org.panacea.api.security.KeyManagement",
            "org.panacea.api.security.PluginSignatureVerifier");

    /**
     * Waits until the boot features are installed, so the checks see the started platform; on a loaded machine that
     * takes longer than the 10 s Pax Exam waits for an injected service by default.
     */
    @Inject
    @Filter(timeout = 300_000)
    BootFinished bootFinished;

    @Inject
    BundleContext context;

    @Inject
    FeaturesService features;

    @Inject
    SessionFactory sessionFactory;

    @Inject
    ConfigurationAdmin configurationAdmin;

    @Inject
    AuditTrail audit;

    @Configuration
    public Option[] config() {
        // An HTTP port of its own, so that a Panacea running beside the tests does not answer them; the test reads it
        // from the system property, as it runs in the container, where this class is loaded again.
        String port = PanaceaDistribution.freePort();
        return PanaceaDistribution.options(
                editConfigurationFilePut("etc/org.ops4j.pax.web.cfg", "org.osgi.service.http.port", port),
                systemProperty("panacea.test.http.port").value(port));
    }

    /**
     * What a load balancer sees: once the platform is up, {@code /health/ready} answers 200 without credentials,
     * naming each check and its state and nothing else (while it starts it answers 404 or 503); what lies beside the
     * two health answers still needs credentials.
     */
    @Test
    public void readinessAnswers200WithoutCredentialsOnceUp() throws Exception {
        HttpClient http = HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(5)).build();
        HttpResponse<String> ready = Eventually.waitFor(() -> anonymous(http, "GET", "/health/ready"),
                answer -> answer.statusCode() == 200, Duration.ofSeconds(120));
        assertEquals(ready.body(), 200, ready.statusCode());
        assertEquals("{\"status\":\"ready\",\"checks\":[{\"name\":\"records-database\",\"state\":\"up\"},"
                + "{\"name\":\"key-store\",\"state\":\"up\"},{\"name\":\"audit-trail\",\"state\":\"up\"},"
                + "{\"name\":\"engine\",\"state\":\"up\"}]}", ready.body());
        assertTrue(ready.headers().firstValue("Content-Type").orElse("").startsWith("application/json"));
        assertEquals(List.of("no-store"), ready.headers().allValues("Cache-Control"));
        HttpResponse<String> live = anonymous(http, "GET", "/health/live");
        assertEquals(200, live.statusCode());
        assertEquals("{\"status\":\"up\"}", live.body());
        for (String[] refused : new String[][] { { "POST", "/health/ready" }, { "DELETE", "/health/live" },
                { "GET", "/health/%72eady" }, { "GET", "/health/ready;x=1" }, { "GET", "/health/./ready" },
                { "GET", "/fhir/Patient" } }) {
            assertEquals(String.join(" ", refused), 401, anonymous(http, refused[0], refused[1]).statusCode());
        }
    }

    /**
     * The data sources come from configurations whose values are placeholders for the environment (PANACEA_DB_*),
     * resolved only when handed to pax-jdbc-config: with no such variable set (as here) they are the embedded Derby
     * databases, and the password is published with no DataSource service.
     */
    @Test
    public void theDataSourcesAreDerbyWithoutTheEnvironmentAndPublishNoPassword() throws Exception {
        org.osgi.service.cm.Configuration[] stored = configurationAdmin.listConfigurations(
                "(service.factoryPid=org.ops4j.datasource)");
        assertNotNull(stored);
        assertEquals(3, stored.length);
        for (org.osgi.service.cm.Configuration configuration : stored) {
            assertTrue(String.valueOf(configuration.getProperties().get("url")),
                    String.valueOf(configuration.getProperties().get("url")).startsWith("$[env:PANACEA_DB_URL;"));
            assertEquals("$[env:PANACEA_DB_PASSWORD;default=]", configuration.getProperties().get(".password"));
        }
        for (String name : List.of("panacea-records", "panacea-audit", "panacea-security")) {
            Collection<ServiceReference<javax.sql.DataSource>> found = Eventually.waitFor(
                    () -> context.getServiceReferences(javax.sql.DataSource.class, "(osgi.jndi.service.name=" + name
                            + ")"), references -> !references.isEmpty(), Duration.ofSeconds(60));
            assertEquals(name, 1, found.size());
            ServiceReference<javax.sql.DataSource> dataSource = found.iterator().next();
            String url = String.valueOf(dataSource.getProperty("url"));
            assertTrue(url, url.startsWith("jdbc:derby:") && url.endsWith("/db/" + name.substring("panacea-".length())
                    + ";create=true"));
            assertEquals("org.apache.derby.jdbc.EmbeddedDriver", dataSource.getProperty("osgi.jdbc.driver.class"));
            for (String key : dataSource.getPropertyKeys()) {
                assertFalse(name + " publishes " + key, key.toLowerCase(java.util.Locale.ROOT).contains("password"));
            }
        }
    }

    private static HttpResponse<String> anonymous(HttpClient http, String method, String path) throws Exception {
        return http.send(HttpRequest.newBuilder(URI.create("http://127.0.0.1:"
                + System.getProperty("panacea.test.http.port") + path))
                .method(method, HttpRequest.BodyPublishers.noBody()).timeout(Duration.ofSeconds(30)).build(),
                HttpResponse.BodyHandlers.ofString());
    }

    @Test
    public void everyBundleIsActiveAndEveryCoreBundleIsThere() {
        List<String> notActive = new ArrayList<>();
        for (Bundle bundle : context.getBundles()) {
            boolean fragment = bundle.getHeaders().get(Constants.FRAGMENT_HOST) != null;
            int expected = fragment ? Bundle.RESOLVED : Bundle.ACTIVE;
            if (bundle.getState() != expected) {
                notActive.add(bundle.getSymbolicName() + " state " + bundle.getState());
            }
        }
        assertTrue("bundles not active: " + notActive, notActive.isEmpty());

        Set<String> panacea = Stream.of(context.getBundles()).map(Bundle::getSymbolicName)
                .filter(name -> name.startsWith("org.panacea.") && !name.startsWith("org.panacea.itests"))
                .collect(Collectors.toSet());
        assertTrue("core bundles missing: " + panacea, panacea.containsAll(CORE_BUNDLES));
    }

    @Test
    public void everyCoreServiceIsRegistered() throws Exception {
        // Data sources and DS components come up asynchronously after the boot features: allow them a while.
        for (String service : CORE_SERVICES) {
            assertNotNull(service + " is not registered", Eventually.waitFor(
                    () -> context.getServiceReference(service), reference -> reference != null, Duration.ofSeconds(60)));
        }
    }

    @Test
    public void everyPanaceaFeatureInstallsAndLeavesEveryBundleActive() throws Exception {
        for (String feature : List.of("panacea-core", "panacea-rest", "panacea-imaging", "panacea-prediction")) {
            features.installFeature(feature);
            assertTrue(feature + " is not installed", features.isInstalled(features.getFeature(feature)));
        }
        everyBundleIsActiveAndEveryCoreBundleIsThere();
        // The signed sample plugin runs and offers its algorithm through the service registry, found by id.
        Collection<ServiceReference<ImagingAlgorithm>> found = Eventually.waitFor(
                () -> context.getServiceReferences(ImagingAlgorithm.class, "(panacea.plugin.id=imaging.window-level)"),
                references -> !references.isEmpty(), Duration.ofSeconds(30));
        assertEquals(1, found.size());
        assertEquals("imaging.window-level",
                context.getService(found.iterator().next()).descriptor().id());
        for (String id : List.of("imaging.gaussian-blur", "imaging.otsu-threshold")) {
            assertEquals(id, 1, Eventually.waitFor(() -> context.getServiceReferences(ImagingAlgorithm.class,
                    "(panacea.plugin.id=" + id + ")"), references -> !references.isEmpty(), Duration.ofSeconds(30)).size());
        }
        assertEquals(1, Eventually.waitFor(() -> context.getServiceReferences(PredictionModel.class,
                "(panacea.plugin.id=prediction.diagnosis.breast-malignancy)"), references -> !references.isEmpty(),
                Duration.ofSeconds(30)).size());
        Collection<ServiceReference<PredictionModel>> models = Eventually.waitFor(
                () -> context.getServiceReferences(PredictionModel.class, "(panacea.plugin.id=prediction.survival.lung-cox)"),
                references -> !references.isEmpty(), Duration.ofSeconds(30));
        assertEquals(1, models.size());
        assertTrue("the model reports how well it did",
                context.getService(models.iterator().next()).descriptor().validationMetrics().containsKey("concordance"));
    }


    @Test
    public void consoleRunsCommands() throws Exception {
        // as a logged-in administrator: the console allow-list refuses bundle:list to a session nobody logged in to
        String listing = Console.run(sessionFactory, "admin", "bundle:list -s");
        assertTrue(listing, listing.contains("org.panacea.api"));
        assertFalse(listing, listing.contains("Failure"));
    }

    @Test
    public void configurationChangesAreAudited() throws Exception {
        // The auditor is a Config Admin listener that starts once the audit trail's database is up, which can be
        // after boot has finished on a busy machine; changes made before it listens are not seen by it.
        Eventually.waitFor(() -> context.getServiceReferences(org.osgi.service.cm.ConfigurationListener.class,
                null).stream().anyMatch(reference -> "org.panacea.audit".equals(reference.getBundle()
                        .getSymbolicName())), listening -> listening, Duration.ofSeconds(60));
        org.osgi.service.cm.Configuration probe = configurationAdmin.getConfiguration("org.panacea.itests.probe", null);
        probe.update(new java.util.Hashtable<>(java.util.Map.of("setting", "secret-value")));
        List<AuditEntry> changes = Eventually.waitFor(() -> audit.search(
                new AuditQuery(null, "system:config-admin", AuditAction.CONFIGURATION_CHANGED, null, null, 50)),
                found -> found.stream().anyMatch(e -> e.event().resourceId().equals("org.panacea.itests.probe")),
                Duration.ofSeconds(30));
        assertTrue(changes.toString(), changes.stream()
                .anyMatch(e -> e.event().resourceId().equals("org.panacea.itests.probe")));
        probe.delete();
    }

    @Test
    public void sshConsoleListensOnLoopbackOnly() throws Exception {
        Object host = configurationAdmin.getConfiguration("org.apache.karaf.shell", null).getProperties().get("sshHost");
        assertEquals("127.0.0.1", host);
    }

    @Test
    public void demoUsersLogInWithTheirRoleAndNothingMore() throws Exception {
        for (Role role : Role.values()) {
            String user = role.jaasName();
            Set<String> roles = login(user, user).getPrincipals(RolePrincipal.class).stream().map(Principal::getName)
                    .collect(Collectors.toSet());
            assertTrue(user + " lacks its role: " + roles, roles.contains(user));
            for (Role other : EnumSet.complementOf(EnumSet.of(role))) {
                assertFalse(user + " also has " + other + ": " + roles, roles.contains(other.jaasName()));
            }
        }
        try {
            login("clinician", "wrong");
            fail("a wrong password was accepted");
        } catch (LoginException expected) {
            // refused, as it must be
        }
    }

    private static Subject login(String user, String password) throws LoginException {
        Subject subject = new Subject();
        LoginContext login = new LoginContext("karaf", subject, callbacks -> {
            for (var callback : callbacks) {
                if (callback instanceof NameCallback name) {
                    name.setName(user);
                } else if (callback instanceof PasswordCallback pass) {
                    pass.setPassword(password.toCharArray());
                }
            }
        });
        login.login();
        return subject;
    }
}
