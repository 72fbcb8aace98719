package org.panacea.audit.internal;

import java.util.Locale;

/** What an anchor line states. Every kind but {@link #LOST} names an entry the chain must still hold. */
public enum AnchorKind {
    /** Entry n, a multiple of the checkpoint interval (or the newest at shutdown), had hash h. */
    CHECKPOINT,
    /** The head of the chain was entry n with hash h: written periodically when the chain moved. */
    HEAD,
    /** Entry n is a restore epoch an administrator recorded; carries who and why. */
    EPOCH,
    /** Entry n is an {@code AUDIT_GAP} entry; carries how many lost events of each source it accounts for. */
    GAP,
    /** One event could not be recorded (the trail was failing); carries its source and action, names no entry. */
    LOST;

    /** {@code true} when the line's sequence number and hash must match the chain. */
    boolean namesAnEntry() {
        return this != LOST;
    }

    /** The lower-case word used in anchor files and syslog. */
    String word() {
        return name().toLowerCase(Locale.ROOT);
    }

    /** @throws IllegalArgumentException when {@code word} is no kind */
    static AnchorKind fromWord(String word) {
        for (AnchorKind kind : values()) {
            if (kind.word().equals(word)) {
                return kind;
            }
        }
        throw new IllegalArgumentException("unknown anchor kind '" + word + "'");
    }
}
