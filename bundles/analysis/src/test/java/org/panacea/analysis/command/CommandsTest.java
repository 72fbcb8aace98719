package org.panacea.analysis.command;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.mockito.Mockito.mock;
import static org.mockito.Mockito.when;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Clock;
import java.time.ZoneOffset;

import org.apache.karaf.shell.api.console.Session;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.panacea.analysis.internal.CohortSurvival;
import org.panacea.analysis.internal.FolderOfFiles;
import org.panacea.analysis.internal.InMemoryRecords;
import org.panacea.analysis.internal.LungCohort;
import org.panacea.analysis.internal.TableLimits;
import org.panacea.api.audit.AuditAction;
import org.panacea.api.security.Role;
import org.panacea.testsupport.Callers;
import org.panacea.testsupport.RecordingAuditTrail;
import org.panacea.testsupport.RolePolicy;

/**
 * The console commands print what the analyses compute, for the logged-in user's access; a file is read only from
 * the import folder, only once the user may analyse, and nothing of a file but the analysis is ever printed.
 */
class CommandsTest {

    /** A file outside the import folder whose text must never reach the console. */
    private static final String SECRET = "root:x:0:0:root:/root:/bin/bash";

    @TempDir
    Path server;

    private Path imports;
    private FolderOfFiles folder;
    private final RecordingAuditTrail audit = new RecordingAuditTrail();
    private final Callers callers = new Callers();
    private final RolePolicy policy = new RolePolicy(callers, audit);
    private final ByteArrayOutputStream printed = new ByteArrayOutputStream();

    @BeforeEach
    void importFolder() throws IOException {
        imports = Files.createDirectories(server.resolve("data/import"));
        try (InputStream lung = CommandsTest.class.getResourceAsStream("/data/lung.csv")) {
            Files.copy(lung, imports.resolve("lung.csv"));
        }
        Files.createDirectories(server.resolve("etc"));
        Files.writeString(server.resolve("etc/x"), SECRET + "\n");
        folder = new FolderOfFiles(imports);
    }

    private Session session() {
        Session session = mock(Session.class);
        when(session.getConsole()).thenReturn(new PrintStream(printed, true, StandardCharsets.UTF_8));
        return session;
    }

    private String output() {
        return printed.toString(StandardCharsets.UTF_8);
    }

    private SurvivalCommand survival(Role role, String file) {
        callers.logIn(callers.user(role.jaasName() + "-user", role, "console"));
        SurvivalCommand command = new SurvivalCommand();
        command.policy = policy;
        command.authentication = callers;
        command.importFolder = folder;
        command.limits = TableLimits.DEFAULTS;
        command.session = session();
        command.file = file;
        command.time = "time";
        command.event = "status";
        command.eventValue = "2";
        return command;
    }

    @Test
    void survivalOfACsvFileInTheImportFolder() {
        SurvivalCommand command = survival(Role.RESEARCHER, "lung.csv");
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
    void pathsOutOfTheImportFolderAreRefusedAndNothingOfTheFileIsPrinted() throws IOException {
        Files.createSymbolicLink(imports.resolve("link.csv"), server.resolve("etc/x"));
        Files.createSymbolicLink(imports.resolve("linked"), server.resolve("etc"));
        for (String path : new String[] { "../../etc/x", server.resolve("etc/x").toString(), "/etc/passwd",
            "link.csv", "linked/x", "no-such.csv", "." }) {
            printed.reset();
            survival(Role.CLINICIAN, path).execute();
            assertTrue(output().startsWith("'" + path + "' "), output());
            assertTrue(output().contains("import folder") || output().contains("not a regular file"), output());
            assertFalse(output().contains("root:"), output());
        }
    }

    @Test
    void aFileInTheFolderThatIsNoSuchTableIsDescribedNotShown() throws IOException {
        Files.writeString(imports.resolve("passwd.csv"), SECRET + "\ndaemon:x:1:1:daemon:/usr/sbin\n");
        survival(Role.CLINICIAN, "passwd.csv").execute();
        assertEquals("no column 'time' in the table's header (line 1, 1 column)", output().strip());
        printed.reset();
        Files.writeString(imports.resolve("cells.csv"), "time,status\n12,2\nroot:x:0:0,1\n");
        survival(Role.CLINICIAN, "cells.csv").execute();
        assertEquals("line 3, column 'time': not a number", output().strip());
    }

    @Test
    void aUserWhoMayNotAnalyseIsRefusedBeforeTheFileIsLookedAt() {
        survival(Role.AUDITOR, "lung.csv").execute();
        assertTrue(output().contains("may not READ_AGGREGATE"), output());
        assertEquals(0, folder.touched.get(), "the import folder was asked about the file");
        assertEquals(AuditAction.ACCESS_DENIED, audit.events().get(audit.events().size() - 1).action());
        // and a malformed request is refused before the file is opened too
        printed.reset();
        SurvivalCommand command = survival(Role.CLINICIAN, "../../etc/x");
        command.ties = "exact";
        command.execute();
        assertTrue(output().contains("efron or breslow"), output());
        assertEquals(0, folder.touched.get());
    }

    @Test
    void aTableOverALimitIsSaidPlainly() {
        SurvivalCommand command = survival(Role.CLINICIAN, "lung.csv");
        command.limits = new TableLimits(100, 500, 16_384);
        command.execute();
        assertEquals("the table has more than 100 lines after its header (limit max.rows in "
                + "etc/org.panacea.analysis.cfg)", output().strip());
    }

    @Test
    void cohortOfTheRecord() {
        InMemoryRecords records = new InMemoryRecords(policy);
        LungCohort.load(records);
        CohortCommand command = new CohortCommand();
        command.cohort = new CohortSurvival(records, policy, audit, callers,
                Clock.fixed(LungCohort.TODAY.atStartOfDay().toInstant(ZoneOffset.UTC), ZoneOffset.UTC));
        callers.logIn(callers.user("rita", Role.RESEARCHER, "console"));
        command.authentication = callers;
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
        // codes joined by commas: a researcher is refused, and told why
        command.covariates = null;
        command.condition = LungCohort.LUNG_CANCER + ",http://snomed.info/sct|93880001";
        printed.reset();
        command.execute();
        assertTrue(output().contains("one Condition code"), output());
    }
}
