package org.panacea.records.internal.store;

import java.io.Serializable;
import java.util.Objects;

import javax.persistence.Column;
import javax.persistence.Entity;
import javax.persistence.Id;
import javax.persistence.IdClass;
import javax.persistence.Index;
import javax.persistence.Lob;
import javax.persistence.Table;

/**
 * An earlier version of a resource, or the mark of its deletion: what {@code _history} and vread answer. When a
 * resource is updated or deleted its row's sealed value is copied here unchanged (it is bound to type, id, version and
 * patient column, all of which this row repeats, so it opens here and nowhere else); a delete adds a row without
 * content. The current version stays in {@link ResourceRow} only, so a create writes no history.
 */
@Entity
@IdClass(ResourceVersionRow.Key.class)
@Table(name = "PANACEA_RESOURCE_VERSION", indexes = {
        @Index(name = "PANACEA_VERSION_TYPE", columnList = "RESOURCE_TYPE,LAST_UPDATED") })
public class ResourceVersionRow {

    @Id
    @Column(name = "RESOURCE_ID", length = 64)
    private String id;

    @Id
    @Column(name = "VERSION_ID")
    private long versionId;

    @Column(name = "RESOURCE_TYPE", length = 64, nullable = false)
    private String resourceType;

    @Column(name = "LAST_UPDATED", nullable = false)
    private long lastUpdatedMillis;

    @Column(name = "PATIENT_ID", length = 64)
    private String patientId;

    /** True for the version that records a delete: it has no content. */
    @Column(name = "DELETED", nullable = false)
    private boolean deleted;

    @Lob
    @Column(name = "SEALED", length = ResourceRow.MAX_SEALED_BYTES)
    private byte[] sealed;

    @Column(name = "SEAL_FORMAT")
    private Integer sealFormat;

    @Column(name = "LEGACY_SEAL", length = 64)
    private String legacySeal;

    protected ResourceVersionRow() {
        // for JPA
    }

    /** The version {@code row} holds now, kept as it is sealed. */
    public static ResourceVersionRow copyOf(ResourceRow row) {
        ResourceVersionRow version = new ResourceVersionRow();
        version.id = row.id();
        version.versionId = row.versionId();
        version.resourceType = row.resourceType();
        version.lastUpdatedMillis = row.lastUpdatedMillis();
        version.patientId = row.patientId();
        version.sealed = row.sealed();
        version.sealFormat = row.sealFormat();
        version.legacySeal = row.legacySeal();
        return version;
    }

    /** The version after {@code row} that says it was deleted at {@code millis}. */
    public static ResourceVersionRow deletionOf(ResourceRow row, long millis) {
        ResourceVersionRow version = new ResourceVersionRow();
        version.id = row.id();
        version.versionId = row.versionId() + 1;
        version.resourceType = row.resourceType();
        version.lastUpdatedMillis = millis;
        version.patientId = row.patientId();
        version.deleted = true;
        return version;
    }

    public String id() {
        return id;
    }

    public long versionId() {
        return versionId;
    }

    public String resourceType() {
        return resourceType;
    }

    public long lastUpdatedMillis() {
        return lastUpdatedMillis;
    }

    public String patientId() {
        return patientId;
    }

    public boolean deleted() {
        return deleted;
    }

    public byte[] sealed() {
        return sealed;
    }

    public Integer sealFormat() {
        return sealFormat;
    }

    public String legacySeal() {
        return legacySeal;
    }

    /** The composite primary key. */
    public static class Key implements Serializable {
        private static final long serialVersionUID = 1L;
        private String id;
        private long versionId;

        public Key() {
            // for JPA
        }

        public Key(String id, long versionId) {
            this.id = id;
            this.versionId = versionId;
        }

        @Override
        public boolean equals(Object other) {
            return other instanceof Key key && Objects.equals(id, key.id) && versionId == key.versionId;
        }

        @Override
        public int hashCode() {
            return Objects.hash(id, versionId);
        }
    }
}
