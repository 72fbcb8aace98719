package org.panacea.records.command;

import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.mockito.ArgumentMatchers.any;
import static org.mockito.ArgumentMatchers.eq;
import static org.mockito.Mockito.doThrow;
import static org.mockito.Mockito.mock;
import static org.mockito.Mockito.never;
import static org.mockito.Mockito.times;
import static org.mockito.Mockito.verify;
import static org.mockito.Mockito.when;

import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.util.List;
import java.util.Map;
import java.util.Set;

import org.apache.karaf.shell.api.console.Session;
import org.junit.jupiter.api.Test;
import org.panacea.api.records.BundleOutcome;
import org.panacea.api.security.AccessDecision;
import org.panacea.api.security.AccessDeniedException;
import org.panacea.api.security.AccessPolicy;
import org.panacea.api.security.Caller;
import org.panacea.api.security.CallerAuthentication;
import org.panacea.api.security.Operation;
import org.panacea.api.security.Role;
import org.panacea.records.internal.JpaPatientRecords;

import com.fasterxml.jackson.databind.node.ObjectNode;

/** {@code patient:demo} checks the console user, then writes as the platform's own demo-data caller. */
class DemoCommandTest {

    private static final Caller ISSUED = new Caller("system:demo-data", Set.of(Role.CLINICIAN), "internal", "seal");

    @Test
    void theConsoleUserIsCheckedAndTheDataIsWrittenAsTheIssuedInternalCaller() {
        JpaPatientRecords records = mock(JpaPatientRecords.class);
        when(records.importBundle(any(Caller.class), any(ObjectNode.class)))
                .thenReturn(new BundleOutcome(Map.of(), List.of(), List.of()));
        // The demo users' Practitioners do not exist yet: they are created, as the demo-data caller.
        when(records.search(any(Caller.class), any(org.panacea.api.records.SearchQuery.class)))
                .thenReturn(new org.panacea.api.records.SearchResult(0, List.of()));
        when(records.create(any(Caller.class), any(ObjectNode.class))).thenReturn(
                new org.panacea.api.records.StoredResource("Practitioner", "p-1", 1, java.time.Instant.now(), "{}"));
        CallerAuthentication authentication = mock(CallerAuthentication.class);
        when(authentication.internal("demo-data", Set.of(Role.CLINICIAN))).thenReturn(ISSUED);
        Caller nurse = new Caller("nurse", Set.of(Role.NURSE), "console");
        Caller clinician = new Caller("dr", Set.of(Role.CLINICIAN), "console");
        AccessPolicy policy = mock(AccessPolicy.class);
        doThrow(new AccessDeniedException(AccessDecision.deny("roles [nurse] may not CREATE Patient")))
                .when(policy).require(nurse, Operation.CREATE, "Patient");
        ByteArrayOutputStream printed = new ByteArrayOutputStream();
        Session session = mock(Session.class);
        when(session.getConsole()).thenReturn(new PrintStream(printed, true, StandardCharsets.UTF_8));
        DemoCommand command = new DemoCommand();
        command.records = records;
        command.policy = policy;
        command.authentication = authentication;
        command.session = session;
        command.patients = 2;
        command.seed = 1;

        when(authentication.consoleUser()).thenReturn(nurse);
        AccessDeniedException denied = assertThrows(AccessDeniedException.class, command::execute);
        assertTrue(denied.getMessage().contains("may not CREATE Patient"), denied.getMessage());
        verify(records, never()).importBundle(any(Caller.class), any(ObjectNode.class));

        when(authentication.consoleUser()).thenReturn(clinician);
        command.execute();
        verify(policy).require(clinician, Operation.CREATE, "Patient");
        verify(records, times(2)).importBundle(eq(ISSUED), any(ObjectNode.class));
        verify(records, never()).importBundle(eq(clinician), any(ObjectNode.class));
        verify(records, times(2)).create(eq(ISSUED), any(ObjectNode.class));
        assertTrue(printed.toString(StandardCharsets.UTF_8).contains("2 demo patients loaded"), printed.toString());
    }
}
