package org.panacea.security.internal;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.time.Duration;
import java.util.Optional;
import java.util.Set;

import javax.security.auth.login.AppConfigurationEntry;
import javax.security.auth.login.Configuration;

import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.panacea.api.audit.AuditAction;
import org.panacea.api.security.Caller;
import org.panacea.api.security.LoginThrottledException;
import org.panacea.api.security.Role;
import org.panacea.testsupport.RecordingAuditTrail;

/**
 * HTTP logins ({@link JaasCallerAuthentication#authenticate}) through the throttling realm, installed as the JVM's
 * JAAS configuration the way Karaf's jaas config bundle installs its own.
 */
class JaasCallerAuthenticationThrottleTest {

    private final RecordingAuditTrail audit = new RecordingAuditTrail();
    private final LoginThrottleTest.MovableClock clock = new LoginThrottleTest.MovableClock();
    private final JaasCallerAuthentication authentication = new JaasCallerAuthentication(new CallerSeals());
    private ThrottlingKarafRealm realm;
    private Configuration previous;

    @BeforeEach
    void setUp() throws Exception {
        realm = ThrottlingKarafRealmTest.throttlingRealm(clock, audit, ThrottlingKarafRealmTest.karafsRealm());
        ThrottlingKarafRealmTest.PASSWORD_CHECKS.set(0);
        try {
            previous = Configuration.getConfiguration();
        } catch (SecurityException noDefault) {
            previous = null; // no JAAS configuration file on the test JVM: nothing to restore
        }
        Configuration.setConfiguration(new Configuration() {
            @Override
            public AppConfigurationEntry[] getAppConfigurationEntry(String name) {
                return "karaf".equals(name) ? realm.getEntries() : null;
            }
        });
    }

    @AfterEach
    void tearDown() {
        Configuration.setConfiguration(previous);
        realm.deactivate();
    }

    @Test
    void aThrottledLoginIsReportedWithTheWaitAndItsPasswordIsNotChecked() {
        for (int i = 0; i < 5; i++) {
            assertEquals(Optional.empty(), authentication.authenticate("nurse", "guess".toCharArray(), "10.0.0.7"));
        }
        assertEquals(5, ThrottlingKarafRealmTest.PASSWORD_CHECKS.get());

        LoginThrottledException throttled = assertThrows(LoginThrottledException.class,
                () -> authentication.authenticate("nurse", "secret".toCharArray(), "10.0.0.7"));
        assertEquals(Duration.ofSeconds(2), throttled.retryAfter());
        assertTrue(throttled.getMessage().contains("try again in 2 s"), throttled.getMessage());
        assertEquals(5, ThrottlingKarafRealmTest.PASSWORD_CHECKS.get(), "the refused try checked no password");
        assertEquals(1, audit.events().stream().filter(e -> e.action() == AuditAction.LOGIN_THROTTLED).count());

        Optional<Caller> elsewhere = authentication.authenticate("nurse", "secret".toCharArray(), "10.0.0.8");
        assertEquals(Optional.of(Set.of(Role.NURSE)), elsewhere.map(Caller::roles), "another address logs in");

        clock.advance(Duration.ofSeconds(2));
        assertTrue(authentication.authenticate("nurse", "secret".toCharArray(), "10.0.0.7").isPresent(),
                "after the back-off the right password is accepted again");
    }
}
