package org.panacea.audit.command;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.mockito.ArgumentMatchers.any;
import static org.mockito.Mockito.doThrow;
import static org.mockito.Mockito.mock;
import static org.mockito.Mockito.never;
import static org.mockito.Mockito.when;

import java.time.Instant;
import java.util.List;
import java.util.Set;

import org.junit.jupiter.api.Test;
import org.mockito.Mockito;
import org.panacea.api.audit.AuditAction;
import org.panacea.api.audit.AuditQuery;
import org.panacea.api.audit.AuditVerification;
import org.panacea.api.security.AccessDecision;
import org.panacea.api.security.AccessDeniedException;
import org.panacea.api.security.AccessPolicy;
import org.panacea.api.security.Caller;
import org.panacea.api.security.CallerAuthentication;
import org.panacea.api.security.Operation;
import org.panacea.api.security.Role;
import org.panacea.audit.internal.RestoreEpochs;

class CommandsTest {

    private final ConsoleFixture fixture = new ConsoleFixture();

    @Test
    void verifyPrintsOneOkLine() {
        fixture.verification = new AuditVerification(true, 4000, 0, "");

        verify().execute();

        assertEquals(List.of("OK 4000 entries verified"), fixture.lines());
    }

    @Test
    void verifyPrintsOneBrokenLineNamingTheEntry() {
        fixture.verification = new AuditVerification(false, 7, 7, "its fields do not match its hash");

        verify().execute();

        assertEquals(1, fixture.lines().size());
        assertTrue(fixture.lines().get(0).startsWith("BROKEN at entry 7: "), fixture.lines().get(0));
    }

    @Test
    void verifySaysSoWhenTheTrailCannotBeRead() {
        fixture.verification = null;

        verify().execute();

        assertEquals(List.of("Cannot verify the audit trail: database down (test)"), fixture.lines());
    }

    @Test
    void tailPrintsTheNewestEntriesOldestFirst() {
        fixture.searchResult = List.of(ConsoleFixture.entry(3, "carol", "p-3"), ConsoleFixture.entry(2, "bob", "p-2"));
        TailCommand tail = new TailCommand();
        tail.trail = fixture.trail;
        tail.session = fixture.session;
        tail.count = 2;

        tail.execute();

        assertEquals(List.of(AuditQuery.latest(2)), fixture.queries);
        assertEquals(List.of(
                "#2 2024-05-01T10:00:02.123456Z bob (clinician) READ SUCCESS Patient/p-2 patient=p-2 from=10.0.0.7"
                        + " hash=3fa1b2c3d4e5f607",
                "#3 2024-05-01T10:00:03.123456Z carol (clinician) READ SUCCESS Patient/p-3 patient=p-3 from=10.0.0.7"
                        + " hash=3fa1b2c3d4e5f607"), fixture.lines());
    }

    @Test
    void searchPassesEveryFilter() {
        fixture.searchResult = List.of(ConsoleFixture.entry(5, "alice", "p-1"));
        SearchCommand search = search();
        search.patient = "p-1";
        search.actor = "alice";
        search.action = "read";
        search.from = "2024-05-01";
        search.to = "2024-05-02T12:00:00+02:00";
        search.limit = 10;

        search.execute();

        assertEquals(List.of(new AuditQuery("p-1", "alice", AuditAction.READ, Instant.parse("2024-05-01T00:00:00Z"),
                Instant.parse("2024-05-02T10:00:00Z"), 10)), fixture.queries);
        assertEquals(1, fixture.lines().size());
        assertTrue(fixture.lines().get(0).startsWith("#5 "), fixture.lines().get(0));
    }

    @Test
    void searchNamesTheOptionOfAnUnknownAction() {
        SearchCommand search = search();
        search.action = "STEAL";

        assertNull(search.execute());

        assertEquals(1, fixture.lines().size());
        assertTrue(fixture.lines().get(0).startsWith("--action: unknown action 'STEAL'"), fixture.lines().get(0));
        assertTrue(fixture.queries.isEmpty(), "nothing is searched");
    }

    @Test
    void searchNamesTheOptionOfABadDate() {
        SearchCommand search = search();
        search.to = "yesterday";

        search.execute();

        assertTrue(fixture.lines().get(0).startsWith("--to: 'yesterday' is not an ISO-8601 time"),
                fixture.lines().get(0));
        assertTrue(fixture.queries.isEmpty());

        SearchCommand reversed = search();
        reversed.from = "2024-05-02";
        reversed.to = "2024-05-01";
        reversed.execute();
        assertTrue(fixture.lines().get(1).startsWith("--from: "), fixture.lines().get(1));
    }

    @Test
    void searchRefusesALimitBelowOne() {
        SearchCommand search = search();
        search.limit = 0;

        search.execute();

        assertEquals(List.of("-n: must be at least 1, was 0"), fixture.lines());
    }

    @Test
    void restoreEpochIsRecordedForAnAdministratorAndEndsWithTheVerification() {
        Caller admin = new Caller("admin", Set.of(Role.ADMIN), "console");
        RestoreEpochCommand command = restoreEpoch(admin);
        AuditVerification after = new AuditVerification(true, 19, 0, "", 5, 3, 0,
                "restore epoch at entry 19 of 2026-12-07T10:00:00Z by admin (\"disk failure\"): 3 older anchors"
                        + " superseded");
        when(command.epochs.recordRestoreEpoch(admin, "disk failure")).thenReturn(
                new RestoreEpochs.RestoreEpoch(ConsoleFixture.entry(19, "admin", ""), 3, true, after));
        command.reason = "disk failure";

        command.execute();

        Mockito.verify(command.policy).require(admin, Operation.ADMINISTER, "AuditTrail");
        assertEquals(List.of("Restore epoch recorded as entry 19 by admin: 3 older anchors no longer matching the"
                + " restored chain are superseded.", "OK 19 entries verified against 5 anchors; restore epoch at entry"
                + " 19 of 2026-12-07T10:00:00Z by admin (\"disk failure\"): 3 older anchors superseded"),
                fixture.lines());
    }

    @Test
    void restoreEpochIsRefusedToAnyoneElseBeforeAnythingIsRecorded() {
        Caller auditor = new Caller("auditor", Set.of(Role.AUDITOR), "console");
        RestoreEpochCommand command = restoreEpoch(auditor);
        doThrow(new AccessDeniedException(AccessDecision.deny("roles [auditor] may not ADMINISTER AuditTrail")))
                .when(command.policy).require(any(), any(), any());
        command.reason = "hide it";

        command.execute();

        Mockito.verify(command.epochs, never()).recordRestoreEpoch(any(), any());
        assertEquals(1, fixture.lines().size());
        assertTrue(fixture.lines().get(0).startsWith("Refused: ") && fixture.lines().get(0).contains("may not"
                + " ADMINISTER"), fixture.lines().get(0));
    }

    @Test
    void restoreEpochSaysWhyItRecordedNothing() {
        Caller admin = new Caller("admin", Set.of(Role.ADMIN), "console");
        RestoreEpochCommand command = restoreEpoch(admin);
        when(command.epochs.recordRestoreEpoch(admin, "just in case"))
                .thenThrow(new IllegalStateException("Nothing to record: the chain matches every anchor"));
        command.reason = "just in case";

        command.execute();

        assertEquals(List.of("Nothing to record: the chain matches every anchor"), fixture.lines());
    }

    private RestoreEpochCommand restoreEpoch(Caller caller) {
        RestoreEpochCommand command = new RestoreEpochCommand();
        command.epochs = mock(RestoreEpochs.class);
        command.policy = mock(AccessPolicy.class);
        command.authentication = mock(CallerAuthentication.class);
        when(command.authentication.consoleUser()).thenReturn(caller);
        command.session = fixture.session;
        return command;
    }

    private VerifyCommand verify() {
        VerifyCommand verify = new VerifyCommand();
        verify.trail = fixture.trail;
        verify.session = fixture.session;
        return verify;
    }

    private SearchCommand search() {
        SearchCommand search = new SearchCommand();
        search.trail = fixture.trail;
        search.session = fixture.session;
        return search;
    }
}
