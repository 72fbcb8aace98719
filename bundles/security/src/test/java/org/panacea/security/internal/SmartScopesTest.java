package org.panacea.security.internal;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.List;
import java.util.Set;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;
import org.panacea.api.audit.AuditAction;
import org.panacea.api.security.AccessDeniedException;
import org.panacea.api.security.Caller;
import org.panacea.api.security.Operation;
import org.panacea.api.security.Role;
import org.panacea.testsupport.RecordingAuditTrail;

/** SMART on FHIR scopes, alone and as the access policy applies them on top of the roles. */
class SmartScopesTest {

    private final RecordingAuditTrail audit = new RecordingAuditTrail();
    private final CallerSeals seals = new CallerSeals();
    private final RoleBasedAccessPolicy policy = new RoleBasedAccessPolicy(audit, seals);

    @ParameterizedTest(name = "{0}: {1} {2} -> {3}")
    @CsvSource({
            // v1
            "user/*.read, READ, Patient, true",
            "user/*.read, SEARCH, Observation, true",
            "user/*.read, CREATE, Observation, false",
            "user/*.read, UPDATE, Patient, false",
            "user/*.read, DELETE, Patient, false",
            "user/*.write, CREATE, Observation, true",
            "user/*.write, READ, Observation, false",
            "user/*.*, DELETE, Patient, true",
            "user/Observation.read, READ, Observation, true",
            "user/Observation.read, READ, Patient, false",
            "system/*.read, READ, Patient, true",
            // v2
            "user/*.rs, READ, Patient, true",
            "user/*.rs, SEARCH, Patient, true",
            "user/*.rs, CREATE, Patient, false",
            "user/*.r, SEARCH, Patient, false",
            "user/*.s, READ, Patient, false",
            "user/*.cruds, DELETE, Observation, true",
            "user/Observation.cu, UPDATE, Observation, true",
            "user/Observation.cu, DELETE, Observation, false",
            // v2 letters out of order or repeated are not a scope: nothing granted
            "user/*.sr, READ, Patient, false",
            "user/*.rr, READ, Patient, false",
            "user/*.x, READ, Patient, false",
            // patient context and granular scopes grant nothing (see SmartScopes)
            "patient/*.read, READ, Patient, false",
            "patient/*.rs, SEARCH, Observation, false",
            "user/Observation.rs?category=laboratory, READ, Observation, false",
            // platform operations
            "user/ImagingStudy.cr, RUN_ALGORITHM, ImagingStudy, true",
            "user/ImagingStudy.r, RUN_ALGORITHM, ImagingStudy, false",
            "user/*.read, RUN_MODEL, RiskAssessment, false",
            "user/*.*, RUN_MODEL, RiskAssessment, true",
            "user/*.read, READ_AGGREGATE, *, true",
            "user/Patient.read, READ_AGGREGATE, *, false",
            "user/AuditEvent.rs, READ_AUDIT, AuditEvent, true",
            "user/*.read, ADMINISTER, Key, false",
            "user/*.*, ADMINISTER, Key, true",
            "openid, READ, Patient, false",
    })
    void scopePermits(String scope, Operation operation, String resourceType, boolean permitted) {
        assertEquals(permitted, SmartScopes.of(List.of(scope)).permit(operation, resourceType));
    }

    @Test
    void onlySmartShapedScopesAreRecognised() {
        assertTrue(SmartScopes.isSmartScope("user/*.read"));
        assertTrue(SmartScopes.isSmartScope("patient/Observation.rs"));
        assertTrue(SmartScopes.isSmartScope("user/Observation.rs?category=laboratory"));
        assertFalse(SmartScopes.isSmartScope("openid"));
        assertFalse(SmartScopes.isSmartScope("launch/patient"));
        assertFalse(SmartScopes.isSmartScope("user/*.sr"));
        assertFalse(SmartScopes.isSmartScope("admin/*.read"));
    }

    private Caller scoped(Role role, String... scopes) {
        return seals.issue("dr.token", Set.of(role), "10.0.0.9", Set.of(scopes));
    }

    @Test
    void aReadOnlyTokenOfAClinicianReadsButMayNotWriteAndTheRefusalIsAudited() {
        Caller reader = scoped(Role.CLINICIAN, "user/*.read");
        assertTrue(policy.decide(reader, Operation.READ, "Patient").allowed());
        assertTrue(policy.decide(reader, Operation.SEARCH, "Observation").allowed());
        AccessDeniedException denied = assertThrows(AccessDeniedException.class,
                () -> policy.require(reader, Operation.CREATE, "Observation"));
        assertTrue(denied.getMessage().contains("scopes [user/*.read] do not permit CREATE Observation"),
                denied.getMessage());
        assertEquals(AuditAction.ACCESS_DENIED, audit.events().get(0).action());
        assertEquals("dr.token", audit.events().get(0).actor());
    }

    @Test
    void scopesNeverWidenWhatTheRolesAllow() {
        Caller nurse = scoped(Role.NURSE, "user/*.*");
        assertFalse(policy.decide(nurse, Operation.DELETE, "Observation").allowed(), "nurses delete nothing");
        assertFalse(policy.decide(nurse, Operation.CREATE, "MedicationRequest").allowed());
        assertTrue(policy.decide(nurse, Operation.CREATE, "Observation").allowed());
        Caller researcher = scoped(Role.RESEARCHER, "user/*.*", "system/*.*");
        assertFalse(policy.decide(researcher, Operation.READ, "Patient").allowed());
        Caller auditor = scoped(Role.AUDITOR, "user/*.*");
        assertFalse(policy.decide(auditor, Operation.ADMINISTER, "Key").allowed());
    }

    @Test
    void aCallerWithoutScopesKeepsWhatItsRolesAllow() {
        Caller clinician = seals.issue("dr.password", Set.of(Role.CLINICIAN), "10.0.0.9");
        assertFalse(clinician.scoped());
        assertTrue(policy.decide(clinician, Operation.DELETE, "Observation").allowed());
    }

    @Test
    void aTokenWithPatientScopesButNoLaunchPatientGetsNothingAndSaysWhy() {
        Caller launched = scoped(Role.CLINICIAN, "patient/*.read");
        assertFalse(launched.limitedToPatient());
        assertFalse(policy.decide(launched, Operation.READ, "Patient").allowed());
        assertFalse(policy.decide(launched, Operation.SEARCH, "Observation").allowed());
        AccessDeniedException denied = assertThrows(AccessDeniedException.class,
                () -> policy.require(launched, Operation.READ, "Observation"));
        assertTrue(denied.getMessage().contains("patient/ scopes grant nothing, as the token names no launch patient"),
                denied.getMessage());
    }

    private Caller launched(Role role, String patient, String... scopes) {
        return seals.issue("dr.app", Set.of(role), "10.0.0.9", Set.of(scopes), patient);
    }

    @ParameterizedTest(name = "{0} with a launch patient: {1} {2} -> {3}")
    @CsvSource({
            "patient/*.read, READ, Observation, true",
            "patient/*.read, SEARCH, Patient, true",
            "patient/*.read, CREATE, Observation, false",
            "patient/Observation.rs, READ, Observation, true",
            "patient/Observation.rs, READ, Condition, false",
            "patient/*.cruds, DELETE, Observation, true",
            "patient/ImagingStudy.cr, RUN_ALGORITHM, ImagingStudy, true",
            // beyond one chart: cohorts, the audit trail, administration are never granted by patient/ scopes
            "patient/*.read, READ_AGGREGATE, *, false",
            "patient/*.*, READ_AUDIT, AuditEvent, false",
            "patient/*.*, ADMINISTER, Key, false",
            "patient/Observation.rs?category=laboratory, READ, Observation, false",
    })
    void patientScopesGrantWithinTheLaunchPatientsChart(String scope, Operation operation, String type,
            boolean permitted) {
        assertEquals(permitted, SmartScopes.of(List.of(scope), true).permit(operation, type));
        assertFalse(SmartScopes.of(List.of(scope), false).permit(operation, type), "no launch patient: nothing");
    }

    @Test
    void aLaunchedTokenReadsButNeverWidensItsRolesOrReachesTheTrail() {
        Caller app = launched(Role.CLINICIAN, "p-1", "patient/*.read");
        assertTrue(app.limitedToPatient());
        assertTrue(policy.decide(app, Operation.READ, "Observation").allowed());
        assertFalse(policy.decide(app, Operation.CREATE, "Observation").allowed());
        assertFalse(policy.decide(app, Operation.READ_AGGREGATE, "*").allowed(), "cohorts span many patients");
        Caller auditorApp = launched(Role.AUDITOR, "p-1", "patient/*.*");
        AccessDeniedException denied = assertThrows(AccessDeniedException.class,
                () -> policy.require(auditorApp, Operation.READ_AUDIT, "AuditEvent"));
        assertTrue(denied.getMessage().contains("reach only the chart of Patient/p-1"), denied.getMessage());
        assertTrue(audit.events().get(audit.events().size() - 1).details()
                .contains("(token limited to Patient/p-1)"), "the denial names the launch context");
        Caller researcherApp = launched(Role.RESEARCHER, "p-1", "patient/*.read");
        assertFalse(policy.decide(researcherApp, Operation.READ, "Observation").allowed(), "roles still decide");
    }

    @Test
    void theLaunchPatientIsSealed() {
        Caller app = launched(Role.CLINICIAN, "p-1", "patient/*.read");
        assertTrue(seals.issued(app));
        Caller dropped = new Caller(app.name(), app.roles(), app.clientAddress(), app.seal(), app.scopes(), "");
        assertFalse(seals.issued(dropped), "dropping the launch patient would widen the token to every chart");
        assertFalse(policy.decide(dropped, Operation.READ, "Observation").allowed());
        Caller moved = new Caller(app.name(), app.roles(), app.clientAddress(), app.seal(), app.scopes(), "p-2");
        assertFalse(seals.issued(moved), "nor may it be moved to another patient");
        Caller added = seals.issue("dr.app", Set.of(Role.CLINICIAN), "10.0.0.9", Set.of("patient/*.read"));
        Caller forged = new Caller(added.name(), added.roles(), added.clientAddress(), added.seal(), added.scopes(),
                "p-1");
        assertFalse(policy.decide(forged, Operation.READ, "Observation").allowed(),
                "a launch patient added to a caller does not make its patient/ scopes grant");
    }

    @Test
    void droppingAScopeFromAnIssuedCallerBreaksItsSeal() {
        Caller reader = scoped(Role.CLINICIAN, "user/*.read");
        Caller unscoped = new Caller(reader.name(), reader.roles(), reader.clientAddress(), reader.seal(), Set.of());
        assertFalse(seals.issued(unscoped));
        assertFalse(policy.decide(unscoped, Operation.CREATE, "Observation").allowed(),
                "a caller stripped of its scopes must not regain its roles' writes");
        Caller widened = new Caller(reader.name(), reader.roles(), reader.clientAddress(), reader.seal(),
                Set.of("user/*.*"));
        assertFalse(policy.decide(widened, Operation.CREATE, "Observation").allowed());
        assertTrue(seals.issued(reader));
    }
}
