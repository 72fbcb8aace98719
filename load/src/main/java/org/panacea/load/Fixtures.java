package org.panacea.load;

import java.io.IOException;
import java.io.Reader;
import java.io.UncheckedIOException;
import java.io.Writer;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Arrays;
import java.util.List;
import java.util.Properties;

/**
 * What the reads, searches and retrievals ask for: patients and studies the harness stored on a server before its
 * measurements. Written by the harness, read by the benchmarks in their forked JVMs (the path travels as the system
 * property {@value #PROPERTY}).
 *
 * @param patientIds     the patients' ids on the server, as the server assigned them
 * @param identifiers    each patient's identifier value (same order), in {@link #IDENTIFIER_SYSTEM}
 * @param studyUids      stored studies
 * @param studyPatientIds each stored study's DICOM PatientID (same order)
 * @param studyBytes     bytes of one study as retrieved (every study is made of the same instances)
 * @param runId          distinguishes what this run creates from what earlier runs on the same data created
 */
public record Fixtures(List<String> patientIds, List<String> identifiers, List<String> studyUids,
        List<String> studyPatientIds, long studyBytes, String runId) {

    public static final String PROPERTY = "load.fixtures";
    /** An absolute URI, as FHIR (and Panacea's validation) wants; example.org is reserved for examples. */
    public static final String IDENTIFIER_SYSTEM = "http://example.org/panacea-load";

    public static Fixtures fromSystemProperty() {
        String path = System.getProperty(PROPERTY);
        if (path == null) {
            throw new IllegalStateException("no fixtures: -D" + PROPERTY + "=FILE is missing");
        }
        return read(Path.of(path));
    }

    public static Fixtures read(Path file) {
        Properties properties = new Properties();
        try (Reader in = Files.newBufferedReader(file)) {
            properties.load(in);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
        return new Fixtures(list(properties, "patientIds"), list(properties, "identifiers"),
                list(properties, "studyUids"), list(properties, "studyPatientIds"), Long.parseLong(properties.getProperty("studyBytes", "0")),
                properties.getProperty("runId", "run"));
    }

    public void write(Path file) {
        Properties properties = new Properties();
        properties.setProperty("patientIds", String.join(",", patientIds));
        properties.setProperty("identifiers", String.join(",", identifiers));
        properties.setProperty("studyUids", String.join(",", studyUids));
        properties.setProperty("studyPatientIds", String.join(",", studyPatientIds));
        properties.setProperty("studyBytes", Long.toString(studyBytes));
        properties.setProperty("runId", runId);
        try {
            Files.createDirectories(file.getParent());
            try (Writer out = Files.newBufferedWriter(file)) {
                properties.store(out, "load fixtures");
            }
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    private static List<String> list(Properties properties, String key) {
        String value = properties.getProperty(key, "");
        return value.isEmpty() ? List.of() : Arrays.asList(value.split(","));
    }
}
