package org.panacea.records.internal.export;

import java.io.Serializable;
import java.util.Objects;

import javax.persistence.Column;
import javax.persistence.Entity;
import javax.persistence.Id;
import javax.persistence.IdClass;
import javax.persistence.Index;
import javax.persistence.Table;

/** One resource of an export's output: its type (the file it goes to), position and id. */
@Entity
@IdClass(ExportItemRow.Key.class)
@Table(name = "PANACEA_EXPORT_ITEM", indexes = {
        @Index(name = "PANACEA_EXPORT_ITEM_FILE", columnList = "JOB_ID,RESOURCE_TYPE,POSITION") })
public class ExportItemRow {

    @Id
    @Column(name = "JOB_ID", length = 64)
    private String jobId;

    @Id
    @Column(name = "POSITION")
    private int position;

    @Column(name = "RESOURCE_TYPE", length = 64, nullable = false)
    private String resourceType;

    @Column(name = "RESOURCE_ID", length = 64, nullable = false)
    private String resourceId;

    protected ExportItemRow() {
        // for JPA
    }

    public ExportItemRow(String jobId, int position, String resourceType, String resourceId) {
        this.jobId = jobId;
        this.position = position;
        this.resourceType = resourceType;
        this.resourceId = resourceId;
    }

    public String resourceId() {
        return resourceId;
    }

    /** The composite primary key. */
    public static class Key implements Serializable {
        private static final long serialVersionUID = 1L;
        private String jobId;
        private int position;

        public Key() {
            // for JPA
        }

        @Override
        public boolean equals(Object other) {
            return other instanceof Key key && Objects.equals(jobId, key.jobId) && position == key.position;
        }

        @Override
        public int hashCode() {
            return Objects.hash(jobId, position);
        }
    }
}
