package org.panacea.security.internal;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.Set;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;
import org.panacea.api.audit.AuditAction;
import org.panacea.api.audit.AuditEvent;
import org.panacea.api.audit.AuditOutcome;
import org.panacea.api.security.AccessDeniedException;
import org.panacea.api.security.Caller;
import org.panacea.api.security.Operation;
import org.panacea.api.security.Role;

class RoleBasedAccessPolicyTest {

    private final RecordingAuditTrail audit = new RecordingAuditTrail();
    private final RoleBasedAccessPolicy policy = new RoleBasedAccessPolicy(audit);

    private static Caller as(Role role) {
        return new Caller(role.jaasName(), Set.of(role), "10.0.0.7");
    }

    @ParameterizedTest(name = "{0} {1} {2} -> {3}")
    @CsvSource({
            "CLINICIAN, READ, Patient, true",
            "CLINICIAN, DELETE, Observation, true",
            "CLINICIAN, RUN_ALGORITHM, ImagingStudy, true",
            "CLINICIAN, READ_AUDIT, AuditEvent, false",
            "CLINICIAN, ADMINISTER, Key, false",
            "NURSE, READ, Patient, true",
            "NURSE, CREATE, Observation, true",
            "NURSE, CREATE, MedicationRequest, false",
            "NURSE, CREATE, RiskAssessment, true",
            "NURSE, DELETE, Observation, false",
            "NURSE, RUN_MODEL, Patient, true",
            "RESEARCHER, READ, Patient, false",
            "RESEARCHER, SEARCH, Observation, false",
            "RESEARCHER, READ_AGGREGATE, Patient, true",
            "AUDITOR, READ_AUDIT, AuditEvent, true",
            "AUDITOR, READ, Patient, false",
            "AUDITOR, SEARCH, Patient, false",
            "ADMIN, ADMINISTER, Key, true",
            "ADMIN, CREATE, Practitioner, true",
            "ADMIN, READ, Patient, false",
            "ADMIN, SEARCH, Observation, false",
            "ADMIN, READ_AUDIT, AuditEvent, false",
    })
    void leastPrivilegeByRole(Role role, Operation operation, String type, boolean allowed) {
        assertEquals(allowed, policy.decide(as(role), operation, type).allowed());
    }

    @Test
    void aCallerWithoutRolesMayDoNothing() {
        Caller nobody = new Caller("guest", Set.of(), "10.0.0.9");
        for (Operation operation : Operation.values()) {
            assertFalse(policy.decide(nobody, operation, "Patient").allowed(), operation.name());
        }
    }

    @Test
    void everyDenialIsAuditedBeforeItIsThrown() {
        AccessDeniedException denied = assertThrows(AccessDeniedException.class,
                () -> policy.require(as(Role.RESEARCHER), Operation.READ, "Patient"));
        assertTrue(denied.getMessage().contains("researcher"), denied.getMessage());
        assertEquals(1, audit.events.size());
        AuditEvent event = audit.events.get(0);
        assertEquals(AuditAction.ACCESS_DENIED, event.action());
        assertEquals(AuditOutcome.DENIED, event.outcome());
        assertEquals("researcher", event.actor());
        assertEquals("10.0.0.7", event.clientAddress());
        assertEquals("Patient", event.resourceType());

        policy.require(as(Role.CLINICIAN), Operation.READ, "Patient");
        assertEquals(1, audit.events.size(), "an allowed access is audited by the operation itself, not here");
    }
}
