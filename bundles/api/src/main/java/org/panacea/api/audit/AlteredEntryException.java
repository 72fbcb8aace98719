package org.panacea.api.audit;

/**
 * An entry of the trail holds a value no {@link AuditEntry} can carry (an action or outcome no enum knows): it was
 * altered outside the trail. A reader following the trail ({@link AuditTrail#entriesAfter}) can step past it by its
 * {@link #sequence()}; {@link AuditTrail#verify()} reports the alteration too.
 *
 * @since 1.3
 */
public class AlteredEntryException extends AuditException {

    private static final long serialVersionUID = 1L;

    private final long sequence;

    public AlteredEntryException(String message, long sequence, Throwable cause) {
        super(message, cause);
        this.sequence = sequence;
    }

    /** The sequence number of the altered entry. */
    public long sequence() {
        return sequence;
    }
}
