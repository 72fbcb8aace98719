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
import org.panacea.testsupport.RecordingAuditTrail;

class RoleBasedAccessPolicyTest {

    private final RecordingAuditTrail audit = new RecordingAuditTrail();
    private final CallerSeals seals = new CallerSeals();
    private final RoleBasedAccessPolicy policy = new RoleBasedAccessPolicy(audit, seals);

    private Caller as(Role role) {
        return seals.issue(role.jaasName(), Set.of(role), "10.0.0.7");
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
            // A document's content (FHIR Binary) is chart data like the DocumentReference that points to it.
            "CLINICIAN, CREATE, Binary, true",
            "CLINICIAN, READ, Binary, true",
            "CLINICIAN, DELETE, Binary, true",
            "NURSE, READ, Binary, true",
            "NURSE, CREATE, Binary, false",
            "RESEARCHER, CREATE, Binary, false",
            "RESEARCHER, READ, Binary, false",
            "ADMIN, READ, Binary, false",
            "AUDITOR, READ, Binary, false",
    })
    void leastPrivilegeByRole(Role role, Operation operation, String type, boolean allowed) {
        assertEquals(allowed, policy.decide(as(role), operation, type).allowed());
    }

    @Test
    void aCallerWithoutRolesMayDoNothing() {
        Caller nobody = seals.issue("guest", Set.of(), "10.0.0.9");
        for (Operation operation : Operation.values()) {
            assertFalse(policy.decide(nobody, operation, "Patient").allowed(), operation.name());
        }
    }

    @Test
    void everyDenialIsAuditedBeforeItIsThrown() {
        AccessDeniedException denied = assertThrows(AccessDeniedException.class,
                () -> policy.require(as(Role.RESEARCHER), Operation.READ, "Patient"));
        assertTrue(denied.getMessage().contains("researcher"), denied.getMessage());
        assertEquals(1, audit.events().size());
        AuditEvent event = audit.events().get(0);
        assertEquals(AuditAction.ACCESS_DENIED, event.action());
        assertEquals(AuditOutcome.DENIED, event.outcome());
        assertEquals("researcher", event.actor());
        assertEquals("10.0.0.7", event.clientAddress());
        assertEquals("Patient", event.resourceType());

        policy.require(as(Role.CLINICIAN), Operation.READ, "Patient");
        assertEquals(1, audit.events().size(), "an allowed access is audited by the operation itself, not here");
    }

    @Test
    void aCallerTheSecurityBundleDidNotIssueMayDoNothingWhateverItsRoles() {
        // what plugin code could build: the right shape, every role, no seal
        Caller forged = new Caller("clinician", Set.of(Role.values()), "10.0.0.7");
        for (Operation operation : Operation.values()) {
            assertFalse(policy.decide(forged, operation, "Patient").allowed(), operation.name());
        }
        AccessDeniedException denied = assertThrows(AccessDeniedException.class,
                () -> policy.require(forged, Operation.READ, "Patient"));
        assertTrue(denied.getMessage().contains("not issued by the platform"), denied.getMessage());
        assertEquals(AuditAction.ACCESS_DENIED, audit.events().get(0).action());
    }

    @Test
    void aSealCopiedOntoOtherRolesOrAnotherNameIsRefused() {
        Caller nurse = as(Role.NURSE);
        assertTrue(policy.decide(nurse, Operation.READ, "Patient").allowed());
        Caller promoted = new Caller(nurse.name(), Set.of(Role.CLINICIAN), nurse.clientAddress(), nurse.seal());
        Caller renamed = new Caller("drhouse", nurse.roles(), nurse.clientAddress(), nurse.seal());
        Caller moved = new Caller(nurse.name(), nurse.roles(), "203.0.113.9", nurse.seal());
        assertFalse(policy.decide(promoted, Operation.DELETE, "Patient").allowed());
        assertFalse(policy.decide(renamed, Operation.READ, "Patient").allowed());
        assertFalse(policy.decide(moved, Operation.READ, "Patient").allowed());
        assertFalse(new CallerSeals().issued(nurse), "another key (a restarted bundle) does not accept old seals");
    }
}
