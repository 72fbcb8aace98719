package org.panacea.api.plugin;

/** The kind of value a plugin parameter or model input takes. */
public enum ParameterType {
    /** A whole number, within the spec's minimum and maximum when given. */
    INTEGER,
    /** A real number, within the spec's minimum and maximum when given. */
    DECIMAL,
    /** {@code true} or {@code false}. */
    BOOLEAN,
    /** One of the spec's {@link ParameterSpec#choices() choices}. */
    CHOICE,
    /** Free text. */
    TEXT
}
