package org.panacea.records.internal.care;

import javax.persistence.Column;
import javax.persistence.Entity;
import javax.persistence.Id;
import javax.persistence.Index;
import javax.persistence.Lob;
import javax.persistence.Table;

/**
 * One break-glass grant, in the record's database so that every node sees it. The user and patient columns are clear
 * (the login name and the platform's random patient id, as in the audit trail); the reason, free text that may name
 * the patient's condition, is sealed.
 */
@Entity
@Table(name = "PANACEA_BREAK_GLASS", indexes = @Index(name = "PANACEA_BREAK_GLASS_USER", columnList = "USER_NAME,"
        + "PATIENT_ID"))
public class BreakGlassGrantRow {

    @Id
    @Column(name = "ID", length = 36)
    private String id;

    @Column(name = "USER_NAME", length = 256, nullable = false)
    private String userName;

    @Column(name = "PATIENT_ID", length = 64, nullable = false)
    private String patientId;

    @Column(name = "GRANTED_MILLIS", nullable = false)
    private long grantedMillis;

    @Column(name = "EXPIRES_MILLIS", nullable = false)
    private long expiresMillis;

    @Lob
    @Column(name = "REASON_SEALED", nullable = false)
    private byte[] sealedReason;

    protected BreakGlassGrantRow() {
        // for JPA
    }

    public BreakGlassGrantRow(String id, String user, String patientId, long grantedMillis, long expiresMillis,
            byte[] sealedReason) {
        this.id = id;
        this.userName = user;
        this.patientId = patientId;
        this.grantedMillis = grantedMillis;
        this.expiresMillis = expiresMillis;
        this.sealedReason = sealedReason.clone();
    }

    public String id() {
        return id;
    }

    public String user() {
        return userName;
    }

    public String patientId() {
        return patientId;
    }

    public long grantedMillis() {
        return grantedMillis;
    }

    public long expiresMillis() {
        return expiresMillis;
    }

    public byte[] sealedReason() {
        return sealedReason.clone();
    }
}
