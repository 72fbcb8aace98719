package org.panacea.itests;

import static org.junit.Assert.assertEquals;
import static org.junit.Assert.assertFalse;
import static org.junit.Assert.assertNotEquals;
import static org.junit.Assert.assertTrue;
import static org.ops4j.pax.exam.CoreOptions.systemProperty;
import static org.ops4j.pax.exam.karaf.options.KarafDistributionOption.editConfigurationFilePut;

import java.io.File;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

import javax.inject.Inject;

import org.apache.karaf.features.BootFinished;
import org.junit.Assume;
import org.junit.Test;
import org.ops4j.pax.exam.util.Filter;
import org.junit.runner.RunWith;
import org.ops4j.pax.exam.Configuration;
import org.ops4j.pax.exam.Option;
import org.ops4j.pax.exam.junit.PaxExam;
import org.ops4j.pax.exam.spi.reactors.ExamReactorStrategy;
import org.ops4j.pax.exam.spi.reactors.PerClass;
import org.panacea.api.audit.AuditAction;
import org.panacea.api.audit.AuditEntry;
import org.panacea.api.audit.AuditQuery;
import org.panacea.api.audit.AuditTrail;

/**
 * The DICOM network service of the real distribution, driven by dcmtk's own clients (Debian's {@code dcmtk}, which
 * no one here wrote): {@code echoscu}; {@code storescu} with several associations in parallel storing one new
 * patient's series, and proposing JPEG Lossless; {@code findscu} at every level of both roots; and the boundary as an
 * outsider meets it: an unknown calling AE, an AE asking for a role it lacks, a wildcard query. Without dcmtk the
 * tests are skipped, except under CI ({@code CI=true}), where they fail ({@code .ci/run} installs it).
 */
@RunWith(PaxExam.class)
@ExamReactorStrategy(PerClass.class)
public class DimseIT {

    private static final String PORT = PanaceaDistribution.freePort();
    /** Where the test's dcmtk storescp listens, the configured C-MOVE destination STORESCP. */
    private static final String STORESCP_PORT = PanaceaDistribution.freePort();
    /** Whether the new patient's series has been stored (once per Karaf boot). */
    private static boolean seriesStored;
    /** A series of a new patient, made by the test from MR_small with new UIDs. */
    private static final String PATIENT = "DIMSE-IT-PATIENT";
    private static final String STUDY = "1.2.826.0.1.3680043.9.7433.17.1";
    private static final String SERIES = "1.2.826.0.1.3680043.9.7433.17.1.1";
    private static final String CT_STUDY = "1.3.6.1.4.1.5962.1.2.1.20040119072730.12322";

    @Inject
    // Boot can take minutes on a busy machine: Pax Exam would give up on it after 10 s.
    @Filter(timeout = 300_000)
    BootFinished bootFinished;

    @Inject
    AuditTrail audit;

    @Configuration
    public Option[] config() {
        return PanaceaDistribution.options(
                editConfigurationFilePut("etc/org.panacea.dicom.cfg", "port", PORT),
                // No '*' here: an AE title not listed is refused; MODALITY may store but not query.
                editConfigurationFilePut("etc/org.panacea.dicom.cfg", "peers", "ECHOSCU@127.0.0.1=store, "
                        + "STORESCU@127.0.0.1=store, MODALITY@127.0.0.1=store, FINDSCU@127.0.0.1=query, "
                        + "PACS@127.0.0.1=query+retrieve"),
                editConfigurationFilePut("etc/org.panacea.dicom.cfg", "destinations", "STORESCP=127.0.0.1:"
                        + STORESCP_PORT),
                systemProperty("panacea.test.storescp.port").value(STORESCP_PORT),
                systemProperty("panacea.test.dicom.port").value(PORT),
                systemProperty("panacea.test.dicom.samples").value(new File("../bundles/dicom/src/test/resources")
                        .getAbsolutePath()),
                systemProperty("panacea.test.ci").value(String.valueOf(System.getenv("CI"))));
    }

    /** The outcome of one dcmtk command. */
    private record Run(int exitCode, String output) {
    }

    private static void requireDcmtk() {
        boolean present = true;
        for (String tool : new String[] {"echoscu", "storescu", "findscu", "movescu", "getscu", "storescp",
            "dcmodify"}) {
            present &= new File("/usr/bin/" + tool).canExecute();
        }
        if (!present && "true".equals(System.getProperty("panacea.test.ci"))) {
            throw new IllegalStateException("CI needs Debian's dcmtk (echoscu, storescu, findscu, dcmodify); "
                    + ".ci/run installs it as root");
        }
        Assume.assumeTrue("dcmtk is not installed (apt-get install dcmtk): the DIMSE tests are skipped", present);
    }

    private static Run dcmtk(File directory, String... command) throws Exception {
        List<String> line = new ArrayList<>(List.of(command));
        Process process = new ProcessBuilder(line).directory(directory).redirectErrorStream(true).start();
        byte[] output = process.getInputStream().readAllBytes();
        if (!process.waitFor(120, TimeUnit.SECONDS)) {
            process.destroyForcibly();
            throw new AssertionError(String.join(" ", command) + " did not finish in 120 s");
        }
        return new Run(process.exitValue(), new String(output, StandardCharsets.UTF_8));
    }

    private static String port() {
        return System.getProperty("panacea.test.dicom.port");
    }

    private static Path sample(String name) {
        return Path.of(System.getProperty("panacea.test.dicom.samples"), name);
    }

    private static Run find(String model, String callingAe, String... keys) throws Exception {
        List<String> command = new ArrayList<>(List.of("/usr/bin/findscu", "-v", model, "-aet", callingAe, "-aec",
                "PANACEA"));
        for (String key : keys) {
            command.add("-k");
            command.add(key);
        }
        command.add("127.0.0.1");
        command.add(port());
        return dcmtk(new File("."), command.toArray(new String[0]));
    }

    private static int count(String text, String what) {
        int count = 0;
        for (int at = text.indexOf(what); at >= 0; at = text.indexOf(what, at + 1)) {
            count++;
        }
        return count;
    }

    private List<AuditEntry> audited(String actor, AuditAction action) throws Exception {
        return Eventually.waitFor(() -> audit.search(new AuditQuery(null, actor, action, null, null, 50)),
                entries -> !entries.isEmpty(), Duration.ofSeconds(10));
    }

    /** C-ECHO answers, after the service has come up; the association is audited with the calling AE title. */
    @Test
    public void echoscuIsAnsweredAndTheAssociationAudited() throws Exception {
        requireDcmtk();
        Run echo = Eventually.waitFor(() -> dcmtk(new File("."), "/usr/bin/echoscu", "-v", "-aec", "PANACEA",
                "127.0.0.1", port()), run -> run.exitCode() == 0, Duration.ofSeconds(60));
        assertTrue(echo.output(), echo.output().contains("Received Echo Response (Success)"));
        assertFalse(audited("dicom:ECHOSCU", AuditAction.LOGIN).isEmpty());
    }

    /**
     * Four storescu processes at once, each on its own association, store one new patient's series (24 instances,
     * the patient, study and series created by whichever comes first); a JPEG Lossless file goes over as JPEG
     * Lossless. Once per Karaf boot: the tests that query and retrieve start with it.
     */
    /** A folder inside the container's data folder, removed with the container (the system's temp folder is not). */
    private static Path scratch(String prefix) throws java.io.IOException {
        return Files.createTempDirectory(Path.of(System.getProperty("karaf.data", System.getProperty("java.io.tmpdir"))),
                prefix);
    }

    private synchronized void storeTheSeries() throws Exception {
        if (seriesStored) {
            return;
        }
        Path directory = scratch("dimse-it");
        List<String> files = new ArrayList<>();
        for (int i = 0; i < 24; i++) {
            Path copy = directory.resolve("mr" + i + ".dcm");
            Files.copy(sample("dicom/MR_small.dcm"), copy, StandardCopyOption.REPLACE_EXISTING);
            files.add(copy.toString());
        }
        List<String> modify = new ArrayList<>(List.of("/usr/bin/dcmodify", "-nb", "-gin", "-m", "(0010,0020)="
                + PATIENT, "-m", "(0020,000D)=" + STUDY, "-m", "(0020,000E)=" + SERIES));
        modify.addAll(files);
        Run modified = dcmtk(directory.toFile(), modify.toArray(new String[0]));
        assertEquals(modified.output(), 0, modified.exitCode());
        echoscuIsAnsweredAndTheAssociationAudited();

        ExecutorService parallel = Executors.newFixedThreadPool(4);
        List<Future<Run>> stores = new ArrayList<>();
        for (int association = 0; association < 4; association++) {
            List<String> command = new ArrayList<>(List.of("/usr/bin/storescu", "-v", "-aec", "PANACEA",
                    "127.0.0.1", port()));
            command.addAll(files.subList(association * 6, association * 6 + 6));
            stores.add(parallel.submit(() -> dcmtk(directory.toFile(), command.toArray(new String[0]))));
        }
        parallel.shutdown();
        for (Future<Run> store : stores) {
            Run run = store.get(5, TimeUnit.MINUTES);
            assertEquals(run.output(), 0, run.exitCode());
            assertEquals(run.output(), 6, count(run.output(), "Received Store Response (Success)"));
        }
        Run jpeg = dcmtk(directory.toFile(), "/usr/bin/storescu", "-v", "-xs", "-aec", "PANACEA", "127.0.0.1",
                port(), sample("jpeg-lossless/CT_small_sv1.dcm").toString());
        assertTrue(jpeg.output(), jpeg.output().contains("JPEG Lossless, Non-hierarchical, 1st Order Prediction -> "
                + "JPEG Lossless, Non-hierarchical, 1st Order Prediction"));
        assertTrue(jpeg.output(), jpeg.output().contains("Received Store Response (Success)"));
        assertFalse(audited("dicom:STORESCU", AuditAction.CREATE).isEmpty());
        seriesStored = true;
    }

    /** The stores above, and findscu finds what they stored at every level of both roots. */
    @Test
    public void parallelStoresOfANewPatientAllSucceedAndFindscuFindsThemAtEveryLevel() throws Exception {
        requireDcmtk();
        storeTheSeries();

        // Patient Root: PATIENT, STUDY, SERIES, IMAGE.
        Run patients = find("-P", "FINDSCU", "QueryRetrieveLevel=PATIENT", "PatientID=" + PATIENT, "PatientName");
        assertEquals(patients.output(), 1, count(patients.output(), "(Pending)"));
        assertTrue(patients.output(), patients.output().contains("[" + PATIENT + "]"));
        Run studies = find("-P", "FINDSCU", "QueryRetrieveLevel=STUDY", "PatientID=" + PATIENT, "StudyInstanceUID");
        assertEquals(studies.output(), 1, count(studies.output(), "(Pending)"));
        assertTrue(studies.output(), studies.output().contains(STUDY));
        Run series = find("-P", "FINDSCU", "QueryRetrieveLevel=SERIES", "PatientID=" + PATIENT, "StudyInstanceUID="
                + STUDY, "SeriesInstanceUID", "Modality", "NumberOfSeriesRelatedInstances");
        assertEquals(series.output(), 1, count(series.output(), "(Pending)"));
        assertTrue(series.output(), series.output().contains("[24]"));
        Run images = find("-P", "FINDSCU", "QueryRetrieveLevel=IMAGE", "PatientID=" + PATIENT, "StudyInstanceUID="
                + STUDY, "SeriesInstanceUID=" + SERIES, "SOPInstanceUID");
        assertEquals("every instance stored by the four associations:\n" + images.output(), 24,
                count(images.output(), "(Pending)"));

        // Study Root: STUDY (universal matching on the UID, exact Patient ID), SERIES, IMAGE.
        Run ctStudy = find("-S", "FINDSCU", "QueryRetrieveLevel=STUDY", "StudyInstanceUID=" + CT_STUDY,
                "ModalitiesInStudy", "PatientID");
        assertEquals(ctStudy.output(), 1, count(ctStudy.output(), "(Pending)"));
        assertTrue(ctStudy.output(), ctStudy.output().contains("[CT]"));
        Run studyRootSeries = find("-S", "FINDSCU", "QueryRetrieveLevel=SERIES", "StudyInstanceUID=" + STUDY,
                "SeriesInstanceUID");
        assertTrue(studyRootSeries.output(), studyRootSeries.output().contains(SERIES));
        Run studyRootImages = find("-S", "FINDSCU", "QueryRetrieveLevel=IMAGE", "StudyInstanceUID=" + STUDY,
                "SeriesInstanceUID=" + SERIES, "SOPInstanceUID");
        assertEquals(studyRootImages.output(), 24, count(studyRootImages.output(), "(Pending)"));
        Run nothing = find("-S", "FINDSCU", "QueryRetrieveLevel=STUDY", "PatientID=NO-SUCH-PATIENT");
        assertEquals(nothing.output(), 0, count(nothing.output(), "(Pending)"));
        assertTrue(nothing.output(), nothing.output().contains("(Success)"));
    }

    /**
     * movescu has the series sent to the configured destination, a dcmtk storescp the test starts, on an
     * association the archive opens; getscu receives it on its own association (C-STORE sub-operations, role
     * selection). A destination the configuration does not name is refused.
     */
    @Test
    public void movescuAndGetscuRetrieveTheSeriesIntoDcmtk() throws Exception {
        requireDcmtk();
        storeTheSeries();
        Path received = scratch("dimse-storescp");
        Process storescp = new ProcessBuilder("/usr/bin/storescp", "-aet", "STORESCP", "-od", received.toString(),
                System.getProperty("panacea.test.storescp.port")).redirectErrorStream(true)
                .redirectOutput(received.resolveSibling(received.getFileName() + ".log").toFile()).start();
        try {
            Thread.sleep(500);
            Run move = dcmtk(new File("."), "/usr/bin/movescu", "-v", "-S", "-aet", "PACS", "-aec", "PANACEA",
                    "-aem", "STORESCP", "-k", "QueryRetrieveLevel=SERIES", "-k", "StudyInstanceUID=" + STUDY, "-k",
                    "SeriesInstanceUID=" + SERIES, "127.0.0.1", port());
            assertEquals(move.output(), 0, move.exitCode());
            try (var files = Files.list(received)) {
                assertEquals(move.output(), 24, files.count());
            }
            Run unknown = dcmtk(new File("."), "/usr/bin/movescu", "-v", "-S", "-aet", "PACS", "-aec", "PANACEA",
                    "-aem", "ELSEWHERE", "-k", "QueryRetrieveLevel=SERIES", "-k", "StudyInstanceUID=" + STUDY, "-k",
                    "SeriesInstanceUID=" + SERIES, "127.0.0.1", port());
            assertTrue(unknown.output(), unknown.output().contains("A801")
                    || unknown.output().contains("MoveDestinationUnknown"));
        } finally {
            storescp.destroy();
        }
        Path got = scratch("dimse-getscu");
        Run get = dcmtk(got.toFile(), "/usr/bin/getscu", "-v", "-S", "-aet", "PACS", "-aec", "PANACEA", "-od",
                got.toString(), "-k", "QueryRetrieveLevel=SERIES", "-k", "StudyInstanceUID=" + STUDY, "-k",
                "SeriesInstanceUID=" + SERIES, "127.0.0.1", port());
        assertEquals(get.output(), 0, get.exitCode());
        try (var files = Files.list(got)) {
            assertEquals(get.output(), 24, files.filter(f -> f.getFileName().toString().startsWith("MR")).count());
        }
        // FINDSCU may query but not retrieve.
        Run refused = dcmtk(got.toFile(), "/usr/bin/getscu", "-v", "-S", "-aet", "FINDSCU", "-aec", "PANACEA",
                "-od", got.toString(), "-k", "QueryRetrieveLevel=SERIES", "-k", "StudyInstanceUID=" + STUDY, "-k",
                "SeriesInstanceUID=" + SERIES, "127.0.0.1", port());
        assertTrue(refused.output(), refused.output().contains("Association Rejected"));
    }

    /**
     * A modality's file with an invalid Patient's Sex ('Falso', made from CT_small) is stored as received, answered
     * with the warning status B007 and the offending element, never refused: the modality would otherwise lose it.
     */
    @Test
    public void aFileWithAnInvalidValueIsStoredWithAWarningNamingTheElement() throws Exception {
        requireDcmtk();
        echoscuIsAnsweredAndTheAssociationAudited();
        Run stored = dcmtk(new File("."), "/usr/bin/storescu", "-d", "-aet", "MODALITY", "-aec", "PANACEA",
                "127.0.0.1", port(), sample("dicom-values/CT_small_sex_falso.dcm").toString());
        String output = stored.output().toLowerCase(java.util.Locale.ROOT);
        assertTrue(stored.output(), output.contains("0xb007"));
        assertTrue(stored.output(), output.contains("(0010,0040)"));
        assertTrue(stored.output(), output.contains("patient's sex"));
    }

    /** A partial wildcard cannot be answered by blind indexes: refused with a status saying so, never ignored. */
    @Test
    public void aWildcardQueryIsRefusedWithAStatusThatSaysWhy() throws Exception {
        requireDcmtk();
        echoscuIsAnsweredAndTheAssociationAudited();
        Run wildcard = find("-S", "FINDSCU", "QueryRetrieveLevel=STUDY", "PatientID=DIMSE*");
        assertEquals(wildcard.output(), 0, count(wildcard.output(), "(Pending)"));
        assertTrue(wildcard.output(), wildcard.output().contains("Error: DataSetDoesNotMatchSOPClass"));
    }

    /**
     * An AE title the configuration does not list is refused at association, and so is a listed modality asking
     * to query (it may only store); both refusals are audited with the AE title.
     */
    @Test
    public void anUnknownAeAndAnAeAskingForARoleItLacksAreRefusedAndAudited() throws Exception {
        requireDcmtk();
        echoscuIsAnsweredAndTheAssociationAudited();
        Run intruder = dcmtk(new File("."), "/usr/bin/echoscu", "-v", "-aet", "INTRUDER", "-aec", "PANACEA",
                "127.0.0.1", port());
        assertNotEquals(intruder.output(), 0, intruder.exitCode());
        assertTrue(intruder.output(), intruder.output().contains("Association Rejected"));
        assertFalse(audited("dicom:INTRUDER", AuditAction.ACCESS_DENIED).isEmpty());

        Run wrongCalled = dcmtk(new File("."), "/usr/bin/echoscu", "-v", "-aec", "NOT_PANACEA", "127.0.0.1", port());
        assertNotEquals(wrongCalled.output(), 0, wrongCalled.exitCode());

        Run modalityQuerying = find("-S", "MODALITY", "QueryRetrieveLevel=STUDY", "PatientID=" + PATIENT);
        assertNotEquals(modalityQuerying.output(), 0, modalityQuerying.exitCode());
        assertEquals(modalityQuerying.output(), 0, count(modalityQuerying.output(), "(Pending)"));
        assertTrue(modalityQuerying.output(), modalityQuerying.output().contains("Association Rejected"));
        List<AuditEntry> denied = audited("dicom:MODALITY", AuditAction.ACCESS_DENIED);
        assertFalse(denied.isEmpty());
    }
}
