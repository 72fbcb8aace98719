package org.panacea.engine.internal.audit;

import java.util.LinkedHashMap;
import java.util.Map;
import java.util.TreeMap;

import org.panacea.engine.internal.parameters.ParameterValidator;

/**
 * The details of one run as the audit trail digests them: {@code key=value} pairs in the order given, joined by
 * {@code "; "} ({@code plugin=imaging.gaussian-blur; version=1.1.0; parameters=border=reflect, sigma=2; ...}). Not
 * thread-safe; one per run.
 */
public final class AuditDetails {

    private final Map<String, String> entries = new LinkedHashMap<>();
    private String patientId = "";

    /** The patient concerned, once known; it goes into the entry's patient field rather than the details. */
    public AuditDetails patient(String id) {
        patientId = id == null ? "" : id;
        return this;
    }

    /** The patient concerned, or empty. */
    public String patient() {
        return patientId;
    }

    /** Adds (or replaces) one entry; {@code null} values are left out. */
    public AuditDetails put(String key, Object value) {
        if (value != null) {
            entries.put(key, value.toString());
        }
        return this;
    }

    /** Values by name as one line, sorted by name: {@code border=reflect, sigma=2}. */
    public static String values(Map<String, ?> values) {
        StringBuilder line = new StringBuilder();
        new TreeMap<>(values).forEach((name, value) -> {
            if (line.length() > 0) {
                line.append(", ");
            }
            line.append(name).append('=').append(value instanceof Double number
                    ? ParameterValidator.format(number) : value);
        });
        return line.toString();
    }

    @Override
    public String toString() {
        StringBuilder text = new StringBuilder();
        entries.forEach((key, value) -> {
            if (text.length() > 0) {
                text.append("; ");
            }
            text.append(key).append('=').append(value);
        });
        return text.toString();
    }
}
