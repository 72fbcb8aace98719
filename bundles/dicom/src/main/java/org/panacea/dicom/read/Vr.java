package org.panacea.dicom.read;

/**
 * DICOM value representations (PS3.5 6.2). In explicit VR encodings the ones marked {@code longLength} carry two
 * reserved bytes and a 32-bit length, the others a 16-bit length (PS3.5 7.1.2). Public since 1.2, so that the writer
 * ({@code org.panacea.dicom.write}) encodes with the same definitions the reader decodes with.
 */
public enum Vr {
    AE(false), AS(false), AT(false), CS(false), DA(false), DS(false), DT(false), FL(false), FD(false), IS(false),
    LO(false), LT(false), OB(true), OD(true), OF(true), OL(true), OV(true), OW(true), PN(false), SH(false),
    SL(false), SQ(true), SS(false), ST(false), SV(true), TM(false), UC(true), UI(false), UL(false), UN(true),
    UR(true), US(false), UT(true), UV(true);

    final boolean longLength;

    Vr(boolean longLength) {
        this.longLength = longLength;
    }

    /**
     * Whether an explicit VR header of this VR has two reserved bytes and a 32-bit length (else a 16-bit length).
     *
     * @since 1.2
     */
    public boolean hasLongLength() {
        return longLength;
    }

    private static final Vr[] BY_CODE = new Vr[26 * 26];

    static {
        for (Vr vr : values()) {
            BY_CODE[code(vr.name().charAt(0), vr.name().charAt(1))] = vr;
        }
    }

    private static int code(int first, int second) {
        return (first - 'A') * 26 + (second - 'A');
    }

    /** The VR spelled by two bytes, or {@code null} when they spell none. */
    static Vr of(int first, int second) {
        if (first < 'A' || first > 'Z' || second < 'A' || second > 'Z') {
            return null;
        }
        return BY_CODE[code(first, second)];
    }
}
