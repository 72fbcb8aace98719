package org.panacea.security.internal;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertSame;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.mockito.ArgumentMatchers.anyString;
import static org.mockito.Mockito.mock;
import static org.mockito.Mockito.when;

import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.atomic.AtomicInteger;

import javax.security.auth.Subject;
import javax.security.auth.callback.Callback;
import javax.security.auth.callback.CallbackHandler;
import javax.security.auth.callback.NameCallback;
import javax.security.auth.callback.PasswordCallback;
import javax.security.auth.callback.UnsupportedCallbackException;
import javax.security.auth.login.AppConfigurationEntry;
import javax.security.auth.login.AppConfigurationEntry.LoginModuleControlFlag;
import javax.security.auth.login.Configuration;
import javax.security.auth.login.FailedLoginException;
import javax.security.auth.login.LoginContext;
import javax.security.auth.login.LoginException;
import javax.security.auth.spi.LoginModule;

import org.apache.karaf.jaas.boot.ProxyLoginModule;
import org.apache.karaf.jaas.boot.principal.ClientPrincipal;
import org.apache.karaf.jaas.boot.principal.RolePrincipal;
import org.apache.karaf.jaas.boot.principal.UserPrincipal;
import org.apache.karaf.jaas.config.JaasRealm;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.osgi.framework.Bundle;
import org.osgi.framework.BundleContext;
import org.panacea.api.audit.AuditAction;
import org.panacea.testsupport.RecordingAuditTrail;

/**
 * The throttling realm the way Karaf uses it: its entries run through a real JAAS {@link LoginContext}, with Karaf's
 * {@link ProxyLoginModule} loading the throttling module from "the bundle", in front of stand-ins for Karaf's password
 * module (counting the checks it makes: each would be a bcrypt) and audit module (publishing a failure in
 * {@code abort()} only for a user its {@code login()} saw, as Karaf's do).
 */
class ThrottlingKarafRealmTest {

    static final AtomicInteger PASSWORD_CHECKS = new AtomicInteger();
    static final List<String> PUBLISHED = new ArrayList<>();

    /** Stands in for Karaf's PropertiesLoginModule: one user, {@code nurse} / {@code secret}. */
    public static class PasswordModule implements LoginModule {
        private Subject subject;
        private CallbackHandler handler;
        private boolean ok;

        @Override
        public void initialize(Subject subject, CallbackHandler handler, Map<String, ?> state, Map<String, ?> o) {
            this.subject = subject;
            this.handler = handler;
        }

        @Override
        public boolean login() throws LoginException {
            NameCallback name = new NameCallback("user");
            PasswordCallback password = new PasswordCallback("password", false);
            try {
                handler.handle(new Callback[] { name, password });
            } catch (Exception e) {
                throw new LoginException(e.getMessage());
            }
            PASSWORD_CHECKS.incrementAndGet();
            ok = "nurse".equals(name.getName()) && "secret".equals(new String(password.getPassword()));
            if (!ok) {
                throw new FailedLoginException("wrong password");
            }
            return true;
        }

        @Override
        public boolean commit() {
            if (ok) {
                subject.getPrincipals().add(new UserPrincipal("nurse"));
                subject.getPrincipals().add(new RolePrincipal("nurse"));
            }
            return ok;
        }

        @Override
        public boolean abort() {
            return false;
        }

        @Override
        public boolean logout() {
            return false;
        }
    }

    /** Stands in for Karaf's EventAdminAuditLoginModule. */
    public static class AuditModule implements LoginModule {
        private CallbackHandler handler;
        private String user;

        @Override
        public void initialize(Subject subject, CallbackHandler handler, Map<String, ?> state, Map<String, ?> o) {
            this.handler = handler;
        }

        @Override
        public boolean login() throws LoginException {
            NameCallback name = new NameCallback("user");
            try {
                handler.handle(new Callback[] { name });
            } catch (Exception e) {
                throw new LoginException(e.getMessage());
            }
            user = name.getName();
            return false;
        }

        @Override
        public boolean commit() {
            PUBLISHED.add("success " + user);
            return false;
        }

        @Override
        public boolean abort() {
            if (user != null) {
                PUBLISHED.add("failure " + user);
            }
            return false;
        }

        @Override
        public boolean logout() {
            return false;
        }
    }

    /** Karaf's own realm, as far as the throttling realm sees it. */
    static final class KarafsRealm implements JaasRealm {
        final String name;
        final int rank;
        final AppConfigurationEntry[] entries;

        KarafsRealm(String name, int rank, AppConfigurationEntry... entries) {
            this.name = name;
            this.rank = rank;
            this.entries = entries;
        }

        @Override
        public String getName() {
            return name;
        }

        @Override
        public int getRank() {
            return rank;
        }

        @Override
        public AppConfigurationEntry[] getEntries() {
            return entries;
        }
    }

    private final RecordingAuditTrail audit = new RecordingAuditTrail();
    private final LoginThrottleTest.MovableClock clock = new LoginThrottleTest.MovableClock();
    private final KarafsRealm karaf = karafsRealm();
    private ThrottlingKarafRealm realm;

    @BeforeEach
    void setUp() throws Exception {
        realm = throttlingRealm(clock, audit, karaf);
    }

    /** A throttling realm (bundle 42) wrapping {@code karafs}, beside a realm of another name. */
    static ThrottlingKarafRealm throttlingRealm(LoginThrottleTest.MovableClock clock, RecordingAuditTrail audit,
            KarafsRealm karafs) throws Exception {
        PASSWORD_CHECKS.set(0);
        PUBLISHED.clear();
        Bundle bundle = mock(Bundle.class);
        when(bundle.getBundleId()).thenReturn(42L);
        when(bundle.loadClass(anyString())).thenAnswer(call -> Class.forName(call.getArgument(0)));
        BundleContext context = mock(BundleContext.class);
        when(context.getBundle()).thenReturn(bundle);
        when(context.getBundle(42L)).thenReturn(bundle);
        // As Karaf's jaas config bundle does at start: the proxy finds bundles through the system bundle's context.
        ProxyLoginModule.init(context);
        ThrottlingKarafRealm throttling = new ThrottlingKarafRealm(new LoginThrottleSettings(true, 5, 20,
                Duration.ofSeconds(2), Duration.ofSeconds(60), Duration.ofSeconds(300), 1000), context, clock);
        throttling.audit = audit;
        throttling.realms.add(new KarafsRealm("other", 50));
        throttling.realms.add(karafs);
        return throttling;
    }

    /** Karaf's realm as the tests see it: the password module, then the audit module, both optional. */
    static KarafsRealm karafsRealm() {
        return new KarafsRealm("karaf", 0,
                new AppConfigurationEntry(PasswordModule.class.getName(), LoginModuleControlFlag.OPTIONAL, Map.of()),
                new AppConfigurationEntry(AuditModule.class.getName(), LoginModuleControlFlag.OPTIONAL, Map.of()));
    }

    @AfterEach
    void tearDown() {
        realm.deactivate();
    }

    /** The JAAS configuration Karaf would give for the realm name {@code karaf}: this realm's entries. */
    Configuration jaas() {
        return new Configuration() {
            @Override
            public AppConfigurationEntry[] getAppConfigurationEntry(String name) {
                return realm.getEntries();
            }
        };
    }

    private static CallbackHandler password(String user, String password) {
        return callbacks -> {
            for (Callback callback : callbacks) {
                if (callback instanceof NameCallback name) {
                    name.setName(user);
                } else if (callback instanceof PasswordCallback pass) {
                    pass.setPassword(password.toCharArray());
                }
            }
        };
    }

    /** As Karaf's ssh server asks when a client offers a public key: no password callback. */
    private static CallbackHandler publicKey(String user) {
        return callbacks -> {
            for (Callback callback : callbacks) {
                if (callback instanceof NameCallback name) {
                    name.setName(user);
                } else {
                    throw new UnsupportedCallbackException(callback);
                }
            }
        };
    }

    private Subject login(String method, String address, CallbackHandler handler) throws LoginException {
        Subject subject = new Subject();
        subject.getPrincipals().add(new ClientPrincipal(method, address));
        new LoginContext("karaf", subject, handler, jaas()).login();
        return subject;
    }

    private void failSsh(String user, int times) {
        for (int i = 0; i < times; i++) {
            assertThrows(FailedLoginException.class, () -> login("ssh", "/10.0.0.5:" + (50_000 + PASSWORD_CHECKS.get()),
                    password(user, "guess")));
        }
    }

    @Test
    void itWrapsTheBestOtherKarafRealmAndRanksAboveIt() {
        assertEquals(1, realm.getRank());
        assertEquals("karaf", realm.getName());
        AppConfigurationEntry[] entries = realm.getEntries();
        assertEquals(3, entries.length);
        AppConfigurationEntry first = entries[0];
        assertEquals(ProxyLoginModule.class.getName(), first.getLoginModuleName());
        assertEquals(LoginModuleControlFlag.REQUISITE, first.getControlFlag());
        assertEquals(ThrottlingLoginModule.class.getName(), first.getOptions().get(ProxyLoginModule.PROPERTY_MODULE));
        assertEquals("42", first.getOptions().get(ProxyLoginModule.PROPERTY_BUNDLE));
        assertSame(realm.throttle(), first.getOptions().get(ThrottlingLoginModule.THROTTLE_OPTION));
        assertArrayEquals(karaf.entries, new AppConfigurationEntry[] { entries[1], entries[2] },
                "Karaf's modules follow unchanged");

        KarafsRealm ldap = new KarafsRealm("karaf", 10,
                new AppConfigurationEntry(PasswordModule.class.getName(), LoginModuleControlFlag.REQUIRED, Map.of()));
        realm.realms.add(ldap);
        assertEquals(11, realm.getRank());
        assertSame(ldap.entries[0], realm.getEntries()[1]);
    }

    @Test
    void turnedOffItRanksBelowKarafsRealmSoKarafsIsUsedUntouched() {
        realm.throttle().reconfigure(new LoginThrottleSettings(false, 5, 20, Duration.ofSeconds(2),
                Duration.ofSeconds(60), Duration.ofSeconds(300), 1000));
        assertTrue(realm.getRank() < karaf.getRank());
    }

    @Test
    void withoutKarafsRealmThereAreNoEntries() {
        realm.realms.remove(karaf);
        assertEquals(0, realm.getEntries().length);
    }

    @Test
    void aGoodPasswordLogsInThroughTheWrappedModules() throws Exception {
        Subject subject = login("http", "10.0.0.5", password("nurse", "secret"));
        assertEquals("nurse", subject.getPrincipals(UserPrincipal.class).iterator().next().getName());
        assertEquals(List.of("success nurse"), PUBLISHED);
    }

    @Test
    void theThrottlingModuleAloneNeverLetsALoginThrough() {
        // Its login() must say "ignore me": were it to succeed, the optional modules' failures would not count.
        assertThrows(FailedLoginException.class, () -> login("http", "10.0.0.5", password("nurse", "wrong")));
        assertThrows(FailedLoginException.class, () -> login("http", "10.0.0.5", password("nobody", "secret")));
    }

    @Test
    void aThrottledSshLoginIsRefusedWithoutCheckingThePasswordOrPublishingALoginEvent() throws Exception {
        failSsh("nurse", 5);
        assertEquals(5, PASSWORD_CHECKS.get());
        assertEquals(5, PUBLISHED.size());

        ThrottledLoginException refused = assertThrows(ThrottledLoginException.class,
                () -> login("ssh", "/10.0.0.5:50999", password("nurse", "secret")));
        assertEquals(Duration.ofSeconds(2), refused.retryAfter());
        assertEquals(5, PASSWORD_CHECKS.get(), "no password check (no bcrypt) for a refused try");
        assertEquals(5, PUBLISHED.size(), "no login event for a refused try");
        assertEquals(1, audit.events().stream().filter(e -> e.action() == AuditAction.LOGIN_THROTTLED).count());

        assertTrue(login("ssh", "/10.0.0.6:50000", password("nurse", "secret")).getPrincipals().size() > 1,
                "the same user from another address logs in");
        clock.advance(Duration.ofSeconds(2));
        login("http", "10.0.0.5", password("nurse", "secret"));
        assertEquals(2, audit.events().stream().filter(e -> e.action() == AuditAction.LOGIN_THROTTLED).count(),
                "the success ends the throttling, audited with the refused count");
    }

    @Test
    void refusedPublicKeysDoNotCountAsFailures() {
        for (int i = 0; i < 20; i++) {
            assertThrows(LoginException.class, () -> login("ssh", "/10.0.0.5:50000", publicKey("nurse")));
        }
        assertEquals(0, realm.throttle().size());
    }
}
