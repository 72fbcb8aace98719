package org.panacea.records.internal.export;

import javax.persistence.Column;
import javax.persistence.Entity;
import javax.persistence.Id;
import javax.persistence.Table;

/**
 * A Bulk Data export: who asked, for what (a group or every patient, which types, since when), and how far it got.
 * In the database, so any node answers its status and serves its files. Its output is the list of resource ids to
 * send ({@link ExportItemRow}); the resources are opened only when a file is downloaded, so no decrypted copy of
 * the export is ever written.
 */
@Entity
@Table(name = "PANACEA_EXPORT_JOB")
public class ExportJobRow {

    /** Where a job is. */
    public enum State {
        QUEUED, RUNNING, DONE, FAILED, CANCELLED
    }

    @Id
    @Column(name = "ID", length = 64)
    private String id;

    @Column(name = "OWNER", length = 256, nullable = false)
    private String owner;

    @Column(name = "STATE", length = 16, nullable = false)
    private String state;

    /** The kick-off request, for the manifest (its path and the type/since parameters; no patient data). */
    @Column(name = "REQUEST", length = 2048, nullable = false)
    private String request;

    /** The Group exported, or null for every patient. */
    @Column(name = "GROUP_ID", length = 64)
    private String groupId;

    /** Comma-separated resource types to export. */
    @Column(name = "TYPES", length = 2048, nullable = false)
    private String types;

    @Column(name = "SINCE_MILLIS")
    private Long sinceMillis;

    @Column(name = "TRANSACTION_TIME", nullable = false)
    private long transactionTimeMillis;

    @Column(name = "EXPIRES", nullable = false)
    private long expiresMillis;

    @Column(name = "PROGRESS", length = 256)
    private String progress;

    @Column(name = "MESSAGE", length = 2048)
    private String message;

    protected ExportJobRow() {
        // for JPA
    }

    public ExportJobRow(String id, String owner, String request, String groupId, String types, Long sinceMillis,
            long transactionTimeMillis, long expiresMillis) {
        this.id = id;
        this.owner = owner;
        this.state = State.QUEUED.name();
        this.request = request;
        this.groupId = groupId;
        this.types = types;
        this.sinceMillis = sinceMillis;
        this.transactionTimeMillis = transactionTimeMillis;
        this.expiresMillis = expiresMillis;
        this.progress = "queued";
    }

    public String id() {
        return id;
    }

    public String owner() {
        return owner;
    }

    public State state() {
        return State.valueOf(state);
    }

    public void state(State state, String progress, String message) {
        this.state = state.name();
        this.progress = progress;
        this.message = message;
    }

    public String request() {
        return request;
    }

    public String groupId() {
        return groupId;
    }

    public String types() {
        return types;
    }

    public Long sinceMillis() {
        return sinceMillis;
    }

    public long transactionTimeMillis() {
        return transactionTimeMillis;
    }

    public long expiresMillis() {
        return expiresMillis;
    }

    public String progress() {
        return progress;
    }

    public String message() {
        return message;
    }
}
