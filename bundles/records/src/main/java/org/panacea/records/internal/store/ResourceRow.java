package org.panacea.records.internal.store;

import javax.persistence.Column;
import javax.persistence.Entity;
import javax.persistence.Id;
import javax.persistence.Index;
import javax.persistence.Lob;
import javax.persistence.Table;
import javax.persistence.Version;

/**
 * One FHIR resource as stored: its whole JSON sealed by the security bundle (bound to type, id, this column, the
 * version and the patient column, so a sealed value copied to another row, another version or another patient does
 * not open), and only what the platform needs in clear to find it: its type, the pseudonymous id of the patient it
 * belongs to, and the version used for optimistic locking.
 */
@Entity
@Table(name = "PANACEA_RESOURCE", indexes = {
        @Index(name = "PANACEA_RESOURCE_PATIENT", columnList = "PATIENT_ID,RESOURCE_TYPE"),
        @Index(name = "PANACEA_RESOURCE_TYPE", columnList = "RESOURCE_TYPE,LAST_UPDATED") })
public class ResourceRow {

    /** Largest sealed resource the column takes (an imported DocumentReference can carry a whole note). */
    public static final int MAX_SEALED_BYTES = 64 * 1024 * 1024;

    @Id
    @Column(name = "ID", length = 64)
    private String id;

    @Column(name = "RESOURCE_TYPE", length = 64, nullable = false)
    private String resourceType;

    /** Incremented by EclipseLink on every update; a stale write fails with an optimistic lock exception. */
    @Version
    @Column(name = "VERSION_ID", nullable = false)
    private long versionId;

    @Column(name = "LAST_UPDATED", nullable = false)
    private long lastUpdatedMillis;

    /** The patient this resource belongs to (its own id for a Patient); null for directory data. */
    @Column(name = "PATIENT_ID", length = 64)
    private String patientId;

    /** {@code false} for resource types Panacea keeps opaque (unvalidated, unindexed beyond identifiers). */
    @Column(name = "MODELLED", nullable = false)
    private boolean modelled;

    @Lob
    @Column(name = "SEALED", nullable = false, length = MAX_SEALED_BYTES)
    private byte[] sealed;

    /**
     * How {@code SEALED} is bound (see the records bundle's {@code Sealed}): null for a row written before the
     * binding carried version and patient, 1 for such a row given a legacy permit, 2 for the current binding.
     */
    @Column(name = "SEAL_FORMAT")
    private Integer sealFormat;

    /** For a row of format 1: the keyed permit that lets its older binding be read (null otherwise). */
    @Column(name = "LEGACY_SEAL", length = 64)
    private String legacySeal;

    protected ResourceRow() {
        // for JPA
    }

    public ResourceRow(String id, String resourceType, String patientId, boolean modelled) {
        this.id = id;
        this.resourceType = resourceType;
        this.patientId = patientId;
        this.modelled = modelled;
    }

    public String id() {
        return id;
    }

    public String resourceType() {
        return resourceType;
    }

    public long versionId() {
        return versionId;
    }

    public long lastUpdatedMillis() {
        return lastUpdatedMillis;
    }

    public void lastUpdatedMillis(long millis) {
        this.lastUpdatedMillis = millis;
    }

    public String patientId() {
        return patientId;
    }

    public void patientId(String patientId) {
        this.patientId = patientId;
    }

    public boolean modelled() {
        return modelled;
    }

    public byte[] sealed() {
        return sealed;
    }

    /** A newly sealed value and its binding format; any legacy permit no longer applies. */
    public void sealed(byte[] sealed, int format) {
        this.sealed = sealed;
        this.sealFormat = format;
        this.legacySeal = null;
    }

    /** The binding format of {@link #sealed()}, or null when the row predates binding formats. */
    public Integer sealFormat() {
        return sealFormat;
    }

    public String legacySeal() {
        return legacySeal;
    }
}
