package org.panacea.security.internal;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.Set;

import javax.security.auth.Subject;

import org.apache.karaf.jaas.boot.principal.RolePrincipal;
import org.apache.karaf.jaas.boot.principal.UserPrincipal;
import org.junit.jupiter.api.Test;
import org.panacea.api.security.Role;

class JaasCallerAuthenticationTest {

    private final JaasCallerAuthentication authentication = new JaasCallerAuthentication(new CallerSeals());

    private static Subject subject(String user, String role) {
        return new Subject(false, Set.of(new UserPrincipal(user), new RolePrincipal(role)), Set.of(), Set.of());
    }

    @Test
    void aRealmUserBecomesACallerWithTheRolesPanaceaDefines() {
        var caller = authentication.fromSubject(subject("alice", "clinician"), "10.0.0.1").orElseThrow();
        assertEquals("alice", caller.name());
        assertEquals(Set.of(Role.CLINICIAN), caller.roles());
    }

    /** Names with ':' are the platform's own callers, which care relationships do not bind: no person may take one. */
    @Test
    void aRealmUserNamedLikeThePlatformsOwnCallersIsNoOne() {
        for (String name : new String[] {"system:records", "dicom:CT_SCANNER", "a:b"}) {
            assertTrue(authentication.fromSubject(subject(name, "clinician"), "10.0.0.1").isEmpty(), name);
        }
    }
}
