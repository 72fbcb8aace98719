package org.panacea.load;

import java.util.ArrayList;
import java.util.List;

/**
 * One server under load, as the benchmarks' forked JVMs see it: where its FHIR and DICOMweb bases are (null when it
 * serves neither) and whom to log in as (null: no credentials). It travels to the forks as system properties.
 */
public record Target(String name, String fhirBase, String dicomWebBase, String user, String password) {

    static final String NAME = "load.target.name";
    static final String FHIR = "load.target.fhir";
    static final String DICOMWEB = "load.target.dicomweb";
    static final String USER = "load.target.user";
    static final String PASSWORD = "load.target.password";

    /** The target the harness handed to this JVM. */
    public static Target fromSystemProperties() {
        return new Target(System.getProperty(NAME, "?"), blankToNull(System.getProperty(FHIR)),
                blankToNull(System.getProperty(DICOMWEB)), blankToNull(System.getProperty(USER)),
                blankToNull(System.getProperty(PASSWORD)));
    }

    /** The same, as -D options for a forked JVM. */
    List<String> asJvmOptions() {
        List<String> options = new ArrayList<>();
        options.add("-D" + NAME + "=" + name);
        options.add("-D" + FHIR + "=" + (fhirBase == null ? "" : fhirBase));
        options.add("-D" + DICOMWEB + "=" + (dicomWebBase == null ? "" : dicomWebBase));
        options.add("-D" + USER + "=" + (user == null ? "" : user));
        options.add("-D" + PASSWORD + "=" + (password == null ? "" : password));
        return options;
    }

    private static String blankToNull(String value) {
        return value == null || value.isBlank() ? null : value;
    }
}
