package org.panacea.audit.backup;

/** A backup that could not be written; its message says why, without secrets, and nothing of it was left behind. */
public final class BackupException extends RuntimeException {

    private static final long serialVersionUID = 1L;

    public BackupException(String message) {
        super(message);
    }

    public BackupException(String message, Throwable cause) {
        super(message, cause);
    }
}
