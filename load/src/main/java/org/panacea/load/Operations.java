package org.panacea.load;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.URLEncoder;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Properties;
import java.util.concurrent.ThreadLocalRandom;
import java.util.concurrent.atomic.AtomicLong;
import java.util.concurrent.atomic.AtomicReference;

/**
 * The requests the load is made of, the same for every server: a patient created, read by id, found by identifier;
 * a study of new instances stored (STOW-RS) and a stored study retrieved whole (WADO-RS); for the soak, an imaging
 * algorithm and a prediction model run, and the read-backs of what they stored. Each returns whether the
 * server answered as it should; failures (a wrong answer, a connection closed under load) are counted, not thrown,
 * so that one refused request does not end a run, and the tally (with the bytes retrieved) goes to the file named by
 * {@value #TALLY_PROPERTY} for the report.
 */
public final class Operations implements AutoCloseable {

    public static final String TALLY_PROPERTY = "load.tally";
    public static final String SAMPLE_PROPERTY = "load.dicom.sample";
    /** Instances per STOW-RS request: one new patient's study of one series. */
    public static final int INSTANCES_PER_STOW = 4;

    private static final String FHIR_JSON = "application/fhir+json";
    private static final String DICOM_JSON = "application/dicom+json";
    private static final String MULTIPART_DICOM = "multipart/related; type=\"application/dicom\"";
    private static final String[] FAMILIES = { "Brunner", "Keller", "Meier", "Huber", "Moser", "Frei", "Baumann" };

    private final Target target;
    private final Fixtures fixtures;
    private final Http http;
    private final DicomInstances dicom;
    /** Tells apart what this JVM creates from what other runs and forks created on the same server. */
    private final String tag;
    private final AtomicLong counter = new AtomicLong();
    private final AtomicLong succeeded = new AtomicLong();
    private final AtomicLong failed = new AtomicLong();
    private final AtomicLong bytes = new AtomicLong();
    private final AtomicReference<String> firstFailure = new AtomicReference<>();
    /** The calling thread's last answer: its HTTP status (0: no answer) and, when it failed, why. */
    private final ThreadLocal<Integer> lastStatus = ThreadLocal.withInitial(() -> 0);
    private final ThreadLocal<String> lastFailure = new ThreadLocal<>();

    public Operations(Target target, Fixtures fixtures, DicomInstances dicom) {
        this.target = target;
        this.fixtures = fixtures;
        this.dicom = dicom;
        this.http = new Http(target.user(), target.password());
        this.tag = (fixtures == null ? "seed" : fixtures.runId()) + "-"
                + Long.toString(ThreadLocalRandom.current().nextLong() & 0xFFFFFFFFFFL, 36);
    }

    /** The operations of the target, fixtures and DICOM sample that the harness handed to this JVM. */
    public static Operations fromSystemProperties() {
        String sample = System.getProperty(SAMPLE_PROPERTY);
        DicomInstances dicom;
        try {
            dicom = sample == null ? null : new DicomInstances(Files.readAllBytes(Path.of(sample)));
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
        return new Operations(Target.fromSystemProperties(), Fixtures.fromSystemProperty(), dicom);
    }

    /**
     * The FHIR base of the next request. A target of several nodes names their bases separated by commas, and the
     * requests take them in turn, as a round-robin load balancer would send them.
     */
    private String fhir() {
        return next(target.fhirBase());
    }

    private String dicomWeb() {
        return next(target.dicomWebBase());
    }

    private final AtomicLong turn = new AtomicLong();

    private String next(String bases) {
        // Every request asks for its base first: what the thread's last request left is forgotten here.
        lastStatus.set(0);
        lastFailure.remove();
        if (bases.indexOf(',') < 0) {
            return bases;
        }
        String[] each = bases.split(",");
        return each[(int) Math.floorMod(turn.getAndIncrement(), (long) each.length)];
    }

    // ---- FHIR

    /** Creates a new patient; returns its id, or null when the server did not answer 201. */
    public String createPatient(String identifier) {
        int n = ThreadLocalRandom.current().nextInt(FAMILIES.length);
        String body = "{\"resourceType\":\"Patient\",\"identifier\":[{\"system\":\"" + Fixtures.IDENTIFIER_SYSTEM
                + "\",\"value\":\"" + identifier + "\"}],\"name\":[{\"family\":\"" + FAMILIES[n]
                + "\",\"given\":[\"Load\"]}],\"gender\":\"" + (n % 2 == 0 ? "female" : "male")
                + "\",\"birthDate\":\"19" + (40 + n * 7) + "-0" + (1 + n) + "-1" + n + "\"}";
        Http.Response response;
        try {
            response = answered(http.post(fhir() + "/Patient", FHIR_JSON, body.getBytes(StandardCharsets.UTF_8),
                    FHIR_JSON));
        } catch (UncheckedIOException e) {
            return fail("create: " + e.getMessage());
        }
        if (response.status() != 201) {
            return fail("create: " + response.status() + " " + abbreviate(response.text()));
        }
        // The new id from Location: [base]/Patient/{id}[/_history/{version}], as FHIR servers send it.
        String location = response.location() == null ? "" : response.location();
        int at = location.indexOf("/Patient/");
        if (at < 0) {
            return fail("create: 201 without a Patient Location (" + location + ")");
        }
        String id = location.substring(at + "/Patient/".length()).split("/")[0];
        succeeded.incrementAndGet();
        return id;
    }

    public boolean createPatient() {
        return createPatient(newIdentifier()) != null;
    }

    public boolean readPatient() {
        return readPatient(pick(fixtures.patientIds()));
    }

    /** Reads the patient {@code id}: true when the server answered 200 with that id. */
    public boolean readPatient(String id) {
        Http.Response response;
        try {
            response = answered(http.get(fhir() + "/Patient/" + id, FHIR_JSON));
        } catch (UncheckedIOException e) {
            return fail("read: " + e.getMessage()) != null;
        }
        if (response.status() != 200 || !response.text().contains(id)) {
            return fail("read: " + response.status() + " " + abbreviate(response.text())) != null;
        }
        return succeeded.incrementAndGet() > 0;
    }

    public boolean searchPatient() {
        int i = ThreadLocalRandom.current().nextInt(fixtures.identifiers().size());
        String query = URLEncoder.encode(Fixtures.IDENTIFIER_SYSTEM + "|" + fixtures.identifiers().get(i),
                StandardCharsets.UTF_8);
        Http.Response response;
        try {
            response = answered(http.get(fhir() + "/Patient?identifier=" + query, FHIR_JSON));
        } catch (UncheckedIOException e) {
            return fail("search: " + e.getMessage()) != null;
        }
        // The one patient with that identifier must be in the answer, not just any 200.
        if (response.status() != 200 || !response.text().contains(fixtures.patientIds().get(i))) {
            return fail("search: " + response.status() + " " + abbreviate(response.text())) != null;
        }
        return succeeded.incrementAndGet() > 0;
    }

    public String newIdentifier() {
        return tag + "-" + counter.incrementAndGet();
    }

    // ---- DICOMweb

    /** Stores a study of {@code instances} new instances of a new patient; returns its UID, or null. */
    public String storeStudy(int instances) {
        Stored stored = storeStudyOf(instances);
        return stored == null ? null : stored.studyUid();
    }

    /** A study the server acknowledged: its patient's DICOM ID, its one series and the SOP Instance UIDs in it. */
    public record Stored(String patientId, String studyUid, String seriesUid, List<String> sopInstanceUids) {
    }

    /** Stores a study of {@code instances} new instances of a new patient; returns what was stored, or null. */
    public Stored storeStudyOf(int instances) {
        long n = counter.incrementAndGet();
        String patientId = "LOAD-" + tag + "-" + n;
        String studyUid = DicomInstances.newUid();
        String seriesUid = DicomInstances.newUid();
        List<byte[]> parts = new ArrayList<>(instances);
        List<String> sops = new ArrayList<>(instances);
        for (int i = 0; i < instances; i++) {
            sops.add(DicomInstances.newUid());
            parts.add(dicom.withIdentity(patientId, "LOAD^" + tag.toUpperCase() + n, studyUid, seriesUid,
                    sops.get(i)));
        }
        String boundary = "load-" + Long.toHexString(ThreadLocalRandom.current().nextLong());
        Http.Response response;
        try {
            response = answered(http.post(dicomWeb() + "/studies", DicomInstances.multipartContentType(boundary),
                    DicomInstances.multipart(parts, boundary), DICOM_JSON));
        } catch (UncheckedIOException e) {
            return fail("STOW-RS: " + e.getMessage());
        }
        if (response.status() != 200) {
            return fail("STOW-RS: " + response.status() + " " + abbreviate(response.text()));
        }
        succeeded.incrementAndGet();
        return new Stored(patientId, studyUid, seriesUid, List.copyOf(sops));
    }

    public boolean storeStudy() {
        return storeStudy(INSTANCES_PER_STOW) != null;
    }

    /** Retrieves a study whole; returns the bytes received, or -1. */
    public long retrieveStudy(String studyUid) {
        Http.Response response;
        try {
            response = answered(http.getCounted(dicomWeb() + "/studies/" + studyUid, MULTIPART_DICOM));
        } catch (UncheckedIOException e) {
            fail("WADO-RS: " + e.getMessage());
            return -1;
        }
        if (response.status() != 200 || response.length() == 0) {
            fail("WADO-RS: " + response.status());
            return -1;
        }
        succeeded.incrementAndGet();
        bytes.addAndGet(response.length());
        return response.length();
    }

    public boolean retrieveStudy() {
        return retrieveStudy(pick(fixtures.studyUids())) >= 0;
    }

    /**
     * QIDO-RS {@code GET .../studies?PatientID=...} of a stored study's patient: true when the answer is a 200 that
     * lists that study.
     */
    public boolean queryStudiesByPatientId() {
        int i = ThreadLocalRandom.current().nextInt(fixtures.studyUids().size());
        Http.Response response;
        try {
            response = answered(http.get(dicomWeb() + "/studies?PatientID=" + URLEncoder.encode(
                    fixtures.studyPatientIds().get(i), StandardCharsets.UTF_8), DICOM_JSON));
        } catch (UncheckedIOException e) {
            return fail("QIDO-RS: " + e.getMessage()) != null;
        }
        if (response.status() != 200 || !response.text().contains(fixtures.studyUids().get(i))) {
            return fail("QIDO-RS: " + response.status() + " " + abbreviate(response.text())) != null;
        }
        return succeeded.incrementAndGet() > 0;
    }

    /**
     * Retrieves one instance ({@code GET .../studies/{study}/series/{series}/instances/{instance}}): true when the
     * server answered 200 with a DICOM file (the preamble's DICM at byte 128).
     */
    public boolean retrieveInstance(String studyUid, String seriesUid, String sopInstanceUid) {
        Http.Response response;
        try {
            response = answered(http.get(dicomWeb() + "/studies/" + studyUid + "/series/" + seriesUid
                    + "/instances/" + sopInstanceUid, "application/dicom"));
        } catch (UncheckedIOException e) {
            return fail("instance: " + e.getMessage()) != null;
        }
        byte[] body = response.body();
        if (response.status() != 200 || body.length < 132 || body[128] != 'D' || body[129] != 'I'
                || body[130] != 'C' || body[131] != 'M') {
            return fail("instance: " + response.status() + " " + abbreviate(response.text())) != null;
        }
        return succeeded.incrementAndGet() > 0;
    }

    /**
     * Lists a series' instances (QIDO-RS): true when the server answered 200 naming every one of
     * {@code sopInstanceUids}.
     */
    public boolean listInstances(String studyUid, String seriesUid, List<String> sopInstanceUids) {
        Http.Response response;
        try {
            response = answered(http.get(dicomWeb() + "/studies/" + studyUid + "/series/" + seriesUid
                    + "/instances", DICOM_JSON));
        } catch (UncheckedIOException e) {
            return fail("QIDO-RS instances: " + e.getMessage()) != null;
        }
        String text = response.text();
        List<String> missing = sopInstanceUids.stream().filter(uid -> !text.contains(uid)).toList();
        if (response.status() != 200 || !missing.isEmpty()) {
            return fail("QIDO-RS instances: " + response.status() + ", " + missing.size() + " of "
                    + sopInstanceUids.size() + " missing: " + abbreviate(text)) != null;
        }
        return succeeded.incrementAndGet() > 0;
    }

    // ---- algorithms and models (the engine's API beside FHIR and DICOMweb: /api next to /fhir)

    /** What an algorithm run derived and stored: the new instance's study, series and SOP Instance UIDs. */
    public record Derived(String studyUid, String seriesUid, String sopInstanceUid) {
    }

    /**
     * Runs the imaging algorithm {@code algorithm} on the stored instance {@code sopInstanceUid} with the given
     * parameters (a JSON object); returns the instance it derived and stored, or null when the answer was not a 200
     * naming one.
     */
    public Derived runAlgorithm(String algorithm, String sopInstanceUid, String parametersJson) {
        String body = "{\"instance\":\"" + sopInstanceUid + "\",\"parameters\":" + parametersJson + "}";
        Http.Response response;
        try {
            response = answered(http.post(api() + "/algorithms/" + algorithm + "/$run", "application/json",
                    body.getBytes(StandardCharsets.UTF_8), "application/json"));
        } catch (UncheckedIOException e) {
            return fail("algorithm: " + e.getMessage());
        }
        String text = response.text();
        String sop = field(text, "sopInstanceUid");
        String series = field(text, "seriesInstanceUid");
        String study = field(text, "studyInstanceUid");
        if (response.status() != 200 || sop == null || series == null || study == null) {
            return fail("algorithm: " + response.status() + " " + abbreviate(text));
        }
        succeeded.incrementAndGet();
        return new Derived(study, series, sop);
    }

    /**
     * Runs the prediction model {@code model} for the patient {@code patientId} with the given inputs (a JSON
     * object); returns the id of the RiskAssessment it stored, or null.
     */
    public String predict(String model, String patientId, String inputsJson) {
        String body = "{\"patient\":\"" + patientId + "\",\"inputs\":" + inputsJson + "}";
        Http.Response response;
        try {
            response = answered(http.post(api() + "/models/" + model + "/$predict", "application/json",
                    body.getBytes(StandardCharsets.UTF_8), "application/json"));
        } catch (UncheckedIOException e) {
            return fail("model: " + e.getMessage());
        }
        String text = response.text();
        String stored = field(text, "riskAssessment");
        if (response.status() != 200 || stored == null || !stored.startsWith("RiskAssessment/")) {
            return fail("model: " + response.status() + " " + abbreviate(text));
        }
        succeeded.incrementAndGet();
        return stored.substring("RiskAssessment/".length());
    }

    /** Reads {@code type/id} from FHIR: true when the server answered 200 with that id. */
    public boolean readResource(String type, String id) {
        Http.Response response;
        try {
            response = answered(http.get(fhir() + "/" + type + "/" + id, FHIR_JSON));
        } catch (UncheckedIOException e) {
            return fail("read " + type + ": " + e.getMessage()) != null;
        }
        if (response.status() != 200 || !response.text().contains(id)) {
            return fail("read " + type + ": " + response.status() + " " + abbreviate(response.text())) != null;
        }
        return succeeded.incrementAndGet() > 0;
    }

    /** The engine's base: the server's root (where /fhir is) and /api. */
    private String api() {
        String base = fhir();
        return base.substring(0, base.lastIndexOf('/')) + "/api";
    }

    /** The string value of the first {@code "name": "value"} in a JSON text, or null. */
    static String field(String json, String name) {
        java.util.regex.Matcher m = java.util.regex.Pattern.compile("\"" + java.util.regex.Pattern.quote(name)
                + "\"\\s*:\\s*\"([^\"]*)\"").matcher(json);
        return m.find() ? m.group(1) : null;
    }

    // ---- tally

    /** The HTTP status of the calling thread's last request (0: no answer: refused, reset, timed out). */
    public int lastStatus() {
        return lastStatus.get();
    }

    /** Why the calling thread's last request failed, or null when it succeeded. */
    public String lastFailure() {
        return lastFailure.get();
    }

    public long succeeded() {
        return succeeded.get();
    }

    public long failed() {
        return failed.get();
    }

    public String firstFailure() {
        return firstFailure.get();
    }

    /** Writes the tally where the harness asked for it (warm-up and measurement together). */
    @Override
    public void close() {
        http.close();
        String file = System.getProperty(TALLY_PROPERTY);
        if (file == null || file.isBlank()) {
            return;
        }
        Properties tally = new Properties();
        tally.setProperty("succeeded", Long.toString(succeeded.get()));
        tally.setProperty("failed", Long.toString(failed.get()));
        tally.setProperty("bytes", Long.toString(bytes.get()));
        if (firstFailure.get() != null) {
            tally.setProperty("firstFailure", firstFailure.get());
        }
        try (var out = Files.newBufferedWriter(Path.of(file))) {
            tally.store(out, "load tally");
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    /** Notes the answer's status for {@link #lastStatus()}; what was asked starts afresh. */
    private Http.Response answered(Http.Response response) {
        lastStatus.set(response.status());
        return response;
    }

    private <T> T fail(String why) {
        failed.incrementAndGet();
        lastFailure.set(why);
        firstFailure.compareAndSet(null, why);
        return null;
    }

    private static String pick(List<String> values) {
        return values.get(ThreadLocalRandom.current().nextInt(values.size()));
    }

    private static String abbreviate(String text) {
        String line = text.replaceAll("\\s+", " ");
        return line.length() > 300 ? line.substring(0, 300) + "..." : line;
    }
}
