package org.panacea.engine.internal.parameters;

/** Where raw parameter values come from, which decides how strictly their types are read. */
public enum RawSource {
    /** A JSON body: numbers, strings and booleans keep their JSON types; a number given as a string is refused. */
    JSON,
    /** Console arguments ({@code name=value}): every value is text, read as the parameter's type. */
    TEXT
}
