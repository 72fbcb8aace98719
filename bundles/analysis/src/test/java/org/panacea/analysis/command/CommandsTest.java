package org.panacea.analysis.command;

import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.mockito.ArgumentMatchers.any;
import static org.mockito.ArgumentMatchers.eq;
import static org.mockito.Mockito.mock;
import static org.mockito.Mockito.when;

import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.net.URISyntaxException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.time.Clock;
import java.time.ZoneOffset;
import java.util.Optional;
import java.util.Set;

import org.apache.karaf.shell.api.console.Session;
import org.junit.jupiter.api.Test;
import org.panacea.analysis.internal.CohortSurvival;
import org.panacea.analysis.internal.InMemoryRecords;
import org.panacea.analysis.internal.LungCohort;
import org.panacea.analysis.internal.RecordingAuditTrail;
import org.panacea.api.security.Caller;
import org.panacea.api.security.CallerAuthentication;
import org.panacea.api.security.Role;
import org.panacea.security.internal.RoleBasedAccessPolicy;

/** The console commands print what the analyses compute, for the logged-in user's access. */
class CommandsTest {

    private final RecordingAuditTrail audit = new RecordingAuditTrail();
    private final RoleBasedAccessPolicy policy = new RoleBasedAccessPolicy(audit);
    private final ByteArrayOutputStream printed = new ByteArrayOutputStream();

    private Session session() {
        Session session = mock(Session.class);
        when(session.getConsole()).thenReturn(new PrintStream(printed, true, StandardCharsets.UTF_8));
        return session;
    }

    private static CallerAuthentication loggedIn(Caller caller) {
        CallerAuthentication authentication = mock(CallerAuthentication.class);
        when(authentication.fromSubject(any(), eq("console"))).thenReturn(Optional.of(caller));
        // The real consoleUser() reads the calling context's subject through the stubbed fromSubject.
        when(authentication.consoleUser()).thenCallRealMethod();
        return authentication;
    }

    private String output() {
        return printed.toString(StandardCharsets.UTF_8);
    }

    @Test
    void survivalOfACsvFileOnTheServer() throws Exception {
        SurvivalCommand command = new SurvivalCommand();
        command.policy = policy;
        command.authentication = loggedIn(new Caller("rita", Set.of(Role.RESEARCHER), "console"));
        command.session = session();
        command.file = lung().toString();
        command.time = "time";
        command.event = "status";
        command.eventValue = "2";
        command.group = "sex";
        command.covariates = "age,sex,ph.ecog";
        command.execute();
        // R: survfit medians 270 (212, 310) and 426 (348, 550); survdiff chisq 10.3 on 1 df; coxph concordance 0.637
        assertTrue(output().matches("(?s).*sex=1\\s+138\\s+112\\s+270\\s+212\\s+310.*"), output());
        assertTrue(output().matches("(?s).*sex=2\\s+90\\s+53\\s+426\\s+348\\s+550.*"), output());
        assertTrue(output().contains("Log-rank: chi-square 10.33 on 1 df, p = 0.001311"), output());
        assertTrue(output().contains("concordance 0.6371"), output());
    }

    @Test
    void aMissingColumnIsSaidNotThrown() throws Exception {
        SurvivalCommand command = new SurvivalCommand();
        command.policy = policy;
        command.authentication = loggedIn(new Caller("dr-house", Set.of(Role.CLINICIAN), "console"));
        command.session = session();
        command.file = lung().toString();
        command.time = "days";
        command.event = "status";
        command.execute();
        assertTrue(output().startsWith("no column 'days'"), output());
    }

    @Test
    void anAuditorMayNotAnalyse() throws Exception {
        SurvivalCommand command = new SurvivalCommand();
        command.policy = policy;
        command.authentication = loggedIn(new Caller("ann", Set.of(Role.AUDITOR), "console"));
        command.session = session();
        command.file = lung().toString();
        command.time = "time";
        command.event = "status";
        command.execute();
        assertTrue(output().contains("may not READ_AGGREGATE"), output());
    }

    @Test
    void cohortOfTheRecord() {
        InMemoryRecords records = new InMemoryRecords(policy);
        LungCohort.load(records);
        CohortCommand command = new CohortCommand();
        command.cohort = new CohortSurvival(records, policy, audit,
                Clock.fixed(LungCohort.TODAY.atStartOfDay().toInstant(ZoneOffset.UTC), ZoneOffset.UTC));
        command.authentication = loggedIn(new Caller("rita", Set.of(Role.RESEARCHER), "console"));
        command.session = session();
        command.condition = LungCohort.LUNG_CANCER;
        command.group = "sex";
        command.covariates = "age, sex";
        command.execute();
        assertTrue(output().startsWith("Cohort: Condition " + LungCohort.LUNG_CANCER), output());
        assertTrue(output().contains("228 patients with the condition; excluded: none; 228 analysed (aggregates of "
                + "at least 5)"), output());
        assertTrue(output().matches("(?s).*sex=female\\s+90\\s+53\\s+426\\s+348\\s+550.*"), output());
        command.covariates = "weight";
        printed.reset();
        command.execute();
        assertTrue(output().startsWith("covariates may be [age, sex], not 'weight'"), output());
    }

    private static Path lung() throws URISyntaxException {
        return Path.of(CommandsTest.class.getResource("/data/lung.csv").toURI());
    }
}
