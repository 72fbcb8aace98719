package org.panacea.itests;

import static org.junit.Assert.assertEquals;
import static org.junit.Assert.assertFalse;
import static org.junit.Assert.assertTrue;
import static org.ops4j.pax.exam.CoreOptions.systemProperty;
import static org.ops4j.pax.exam.karaf.options.KarafDistributionOption.editConfigurationFilePut;

import java.io.ByteArrayInputStream;
import java.io.File;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.MessageDigest;
import java.time.Duration;
import java.util.Base64;
import java.util.HexFormat;
import java.util.List;
import java.util.Set;

import javax.inject.Inject;

import org.apache.karaf.features.BootFinished;
import org.apache.karaf.shell.api.console.SessionFactory;
import org.junit.Before;
import org.junit.Test;
import org.junit.runner.RunWith;
import org.ops4j.pax.exam.Configuration;
import org.ops4j.pax.exam.Option;
import org.ops4j.pax.exam.junit.PaxExam;
import org.ops4j.pax.exam.spi.reactors.ExamReactorStrategy;
import org.ops4j.pax.exam.spi.reactors.PerClass;
import org.ops4j.pax.exam.util.Filter;
import org.panacea.api.audit.AuditAction;
import org.panacea.api.audit.AuditEntry;
import org.panacea.api.audit.AuditQuery;
import org.panacea.api.audit.AuditTrail;
import org.panacea.api.imaging.ArchivedInstance;
import org.panacea.api.imaging.ImageArchive;
import org.panacea.api.records.PatientRecords;
import org.panacea.api.security.Caller;
import org.panacea.api.security.CallerAuthentication;
import org.panacea.api.security.Role;

/**
 * Care-relationship access in the real distribution, with no department rule: the demo clinician reads the chart of
 * the patient whose care team they are on, is refused another's with an OperationOutcome that says how to break the
 * glass, breaks it with a reason and reads, and the audit trail holds the BREAK_GLASS entry with that reason. The
 * refusal holds on DICOMweb and on the console too. The charts are written by the platform's own caller (the
 * hospital's admission feed, as it were), which care relationships do not bind.
 */
@RunWith(PaxExam.class)
@ExamReactorStrategy(PerClass.class)
public class CareAccessIT {

    private static final String PORT = PanaceaDistribution.freePort();
    private static final String REASON = "unconscious patient in the emergency room, no identification";

    @Inject
    @Filter(timeout = 300_000)
    BootFinished bootFinished;

    @Inject
    CallerAuthentication authentication;

    @Inject
    @Filter(timeout = 300_000)
    PatientRecords records;

    @Inject
    @Filter(timeout = 300_000)
    ImageArchive archive;

    @Inject
    AuditTrail audit;

    @Inject
    SessionFactory sessionFactory;

    private final HttpClient http = HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(5)).build();

    private static String related;
    private static String unrelated;
    private static String consoleOnly;
    private static String untouched;
    private static ArchivedInstance ct;

    @Configuration
    public Option[] config() {
        return PanaceaDistribution.options(
                editConfigurationFilePut("etc/org.ops4j.pax.web.cfg", "org.osgi.service.http.port", PORT),
                systemProperty("panacea.test.http.port").value(PORT),
                // No department rule: only care teams, encounters and break-glass open charts here.
                editConfigurationFilePut("etc/org.panacea.records.care.cfg", "departments", ""),
                editConfigurationFilePut("etc/org.panacea.records.care.cfg", "break.glass.minutes", "30"),
                systemProperty("panacea.test.dicom").value(new File("../bundles/records/src/test/resources/dicom")
                        .getAbsolutePath()));
    }

    @Before
    public synchronized void charts() throws Exception {
        if (related != null) {
            return;
        }
        Caller feed = authentication.internal("care-it", Set.of(Role.CLINICIAN));
        String practitioner = records.create(feed, """
                {"resourceType": "Practitioner", "identifier": [{"system": "urn:panacea:user", "value": "clinician"}],
                 "name": [{"family": "Clinician"}]}""").id();
        related = records.create(feed, patient("CARE-1")).id();
        unrelated = records.create(feed, patient("CARE-2")).id();
        consoleOnly = records.create(feed, patient("CARE-3")).id();
        untouched = records.create(feed, patient("CARE-4")).id();
        records.create(feed, """
                {"resourceType": "CareTeam", "status": "active", "subject": {"reference": "Patient/%s"},
                 "participant": [{"member": {"reference": "Practitioner/%s"}}]}""".formatted(related, practitioner));
        records.create(feed, """
                {"resourceType": "Observation", "status": "final",
                 "code": {"coding": [{"system": "http://loinc.org", "code": "8867-4"}]},
                 "subject": {"reference": "Patient/%s"}, "effectiveDateTime": "2026-12-07T10:00:00Z",
                 "valueQuantity": {"value": 88, "unit": "/min", "system": "http://unitsofmeasure.org", "code": "/min"}}
                """.formatted(unrelated));
        ct = archive.store(feed, new ByteArrayInputStream(Files.readAllBytes(Path.of(
                System.getProperty("panacea.test.dicom"), "CT_small.dcm"))));
    }

    @Test
    public void aClinicianOutsideTheCareTeamIsRefusedBreaksTheGlassWithAReasonAndReads() throws Exception {
        assertEquals(200, get("/fhir/Patient/" + related).statusCode());

        HttpResponse<String> refused = get("/fhir/Patient/" + unrelated);
        assertEquals(refused.body(), 403, refused.statusCode());
        assertTrue(refused.body(), refused.body().contains("\"resourceType\":\"OperationOutcome\""));
        assertTrue(refused.body(), refused.body().contains("no care relationship with Patient/" + unrelated));
        assertTrue(refused.body(), refused.body().contains("X-Purpose-Of-Use: BTG"));
        assertTrue(refused.body(), refused.body().contains("X-Break-Glass-Reason"));
        List<AuditEntry> denials = audit.search(new AuditQuery(unrelated, "clinician", AuditAction.ACCESS_DENIED,
                null, null, 10));
        assertEquals(1, denials.size());
        assertEquals("Patient", denials.get(0).event().resourceType());
        assertEquals(unrelated, denials.get(0).event().resourceId());

        // A purpose of use without a reason, or a blank one, opens nothing.
        HttpResponse<String> noReason = get("/fhir/Patient/" + unrelated, "X-Purpose-Of-Use", "BTG");
        assertEquals(noReason.body(), 400, noReason.statusCode());
        assertTrue(noReason.body(), noReason.body().contains("X-Break-Glass-Reason is missing or blank"));
        assertEquals(400, get("/fhir/Patient/" + unrelated, "X-Purpose-Of-Use", "BTG", "X-Break-Glass-Reason", "  ")
                .statusCode());
        assertEquals(403, get("/fhir/Patient/" + unrelated).statusCode());

        HttpResponse<String> opened = get("/fhir/Patient/" + unrelated, "X-Purpose-Of-Use", "BTG",
                "X-Break-Glass-Reason", REASON);
        assertEquals(opened.body(), 200, opened.statusCode());
        assertTrue(opened.body(), opened.body().contains("\"id\":\"" + unrelated + "\""));
        // While the grant lasts the chart is open without the headers, each access audited as break-glass.
        HttpResponse<String> observations = get("/fhir/Observation?patient=" + unrelated);
        assertEquals(observations.body(), 200, observations.statusCode());
        assertTrue(observations.body(), observations.body().contains("\"total\":1"));

        List<AuditEntry> breakGlass = audit.search(new AuditQuery(unrelated, "clinician", AuditAction.BREAK_GLASS,
                null, null, 10));
        assertTrue(breakGlass.toString(), breakGlass.size() >= 3);
        String reasonDigest = digest(REASON);
        assertTrue(breakGlass.toString(), breakGlass.stream().allMatch(entry -> entry.detailsDigest()
                .equals(reasonDigest)));
        assertTrue(breakGlass.toString(), breakGlass.stream().anyMatch(entry -> entry.event().resourceType()
                .equals("Observation")));

        // The grant opens that patient, not the next one.
        assertEquals(403, get("/fhir/Patient/" + untouched).statusCode());

        // The auditors are told: one BREAK_GLASS alert for the clinician and this chart, however many reads followed.
        String alerts = Eventually.waitFor(() -> getAs("auditor", "/api/alerts").body(),
                body -> body.contains("\"rule\":\"BREAK_GLASS\""), Duration.ofSeconds(60));
        String thisChart = "\"actor\":\"clinician\",\"patient\":\"Patient/" + unrelated + "\"";
        assertEquals(alerts, 1, alerts.split(java.util.regex.Pattern.quote(thisChart), -1).length - 1);
    }

    @Test
    public void dicomWebRefusesAnUnrelatedPatientsStudy() throws Exception {
        HttpResponse<String> found = get("/dicomweb/studies?StudyInstanceUID=" + ct.studyInstanceUid());
        assertFalse(found.body(), found.body().contains(ct.studyInstanceUid()));
        // A study is found through the record's search, which holds only related charts: it is not there for this user.
        HttpResponse<String> metadata = get("/dicomweb/studies/" + ct.studyInstanceUid() + "/metadata");
        assertEquals(metadata.body(), 404, metadata.statusCode());
        assertFalse(metadata.body(), metadata.body().contains("1CT1"));
        // An instance named by its UIDs is refused, with the way to break the glass.
        HttpResponse<String> rendered = get("/dicomweb/studies/" + ct.studyInstanceUid() + "/series/"
                + ct.seriesInstanceUid() + "/instances/" + ct.sopInstanceUid() + "/rendered");
        assertEquals(rendered.statusCode() == 200 ? "(png)" : rendered.body(), 403, rendered.statusCode());
        assertTrue(rendered.body(), rendered.body().contains("no care relationship"));
        HttpResponse<String> instance = get("/dicomweb/studies/" + ct.studyInstanceUid() + "/series/"
                + ct.seriesInstanceUid() + "/instances/" + ct.sopInstanceUid());
        assertEquals(instance.body().length() > 300 ? "(bytes)" : instance.body(), 403, instance.statusCode());
    }

    @Test
    public void theConsoleRefusesTooAndOpensTheChartWithABreakGlassReason() throws Exception {
        String refused = Console.run(sessionFactory, "clinician", "patient:show " + consoleOnly);
        assertTrue(refused, refused.contains("no care relationship with Patient/" + consoleOnly));
        assertTrue(refused, refused.contains("--break-glass"));
        String blank = Console.run(sessionFactory, "clinician", "patient:show --break-glass \" \" " + consoleOnly);
        assertTrue(blank, blank.contains("needs a reason"));
        String opened = Console.run(sessionFactory, "clinician", "patient:show --break-glass \"" + REASON + "\" "
                + consoleOnly);
        assertTrue(opened, opened.contains("Break-glass: Patient/" + consoleOnly));
        assertTrue(opened, opened.contains("CARE-3"));
        // A nurse has no break-glass.
        String nurse = Console.run(sessionFactory, "nurse", "patient:show --break-glass \"" + REASON + "\" "
                + unrelated);
        assertTrue(nurse, nurse.contains("break-glass is for clinicians"));
        assertTrue(audit.search(new AuditQuery(consoleOnly, "clinician", AuditAction.BREAK_GLASS, null, null, 10))
                .size() >= 2);
    }

    private static String patient(String mrn) {
        return """
                {"resourceType": "Patient", "identifier": [{"system": "urn:oid:2.16.756.5.30.1", "value": "%s"}],
                 "name": [{"family": "Carecheck", "given": ["Paula"]}], "gender": "female",
                 "birthDate": "1950-03-01"}""".formatted(mrn);
    }

    private HttpResponse<String> get(String path, String... headers) throws Exception {
        return getAs("clinician", path, headers);
    }

    private HttpResponse<String> getAs(String user, String path, String... headers) throws Exception {
        HttpRequest.Builder request = HttpRequest.newBuilder(URI.create("http://127.0.0.1:"
                // Read in the container: this class's static PORT is computed again there, to another number.
                + System.getProperty("panacea.test.http.port") + path))
                .timeout(Duration.ofSeconds(60)).header("Authorization", "Basic " + Base64.getEncoder()
                        .encodeToString((user + ":" + user).getBytes(StandardCharsets.UTF_8)));
        for (int i = 0; i < headers.length; i += 2) {
            request.header(headers[i], headers[i + 1]);
        }
        return Eventually.waitFor(() -> http.send(request.build(), HttpResponse.BodyHandlers.ofString()),
                response -> !(response.statusCode() == 404 && response.body().contains("<html")),
                Duration.ofSeconds(60));
    }

    private static String digest(String text) throws Exception {
        return HexFormat.of().formatHex(MessageDigest.getInstance("SHA-256").digest(text.getBytes(
                StandardCharsets.UTF_8)));
    }
}
