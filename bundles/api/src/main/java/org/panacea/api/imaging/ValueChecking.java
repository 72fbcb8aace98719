package org.panacea.api.imaging;

/**
 * How strictly the values of non-structural attributes of a DICOM file are checked when it is stored. Structure is
 * always checked strictly (lengths, sequences, transfer syntax, the pixel data and the attributes that describe it,
 * UIDs): a file that breaks it is refused whatever this says.
 *
 * @since 1.4
 */
public enum ValueChecking {

    /** A value that breaks its VR's rules refuses the whole file, naming the element. */
    STRICT,

    /**
     * A bad value in a non-structural attribute (a code string such as Patient's Sex, a date, a number of a
     * descriptive attribute, an over-long string, a byte outside the declared character set) is stored as received
     * and reported as a {@link ValueWarning}; the record takes its safe reading (an invalid sex is unknown, an
     * invalid date absent).
     */
    LENIENT
}
