package org.panacea.records.internal.store;

import java.io.Serializable;
import java.util.Objects;

import javax.persistence.Column;
import javax.persistence.Entity;
import javax.persistence.Id;
import javax.persistence.IdClass;
import javax.persistence.Index;
import javax.persistence.Table;

/**
 * An identifier (system and value, as a blind-index token) held by one resource of a type: the primary key makes
 * the database itself refuse a second patient with the same MRN, even when two writers race.
 */
@Entity
@IdClass(IdentifierClaimRow.Key.class)
@Table(name = "PANACEA_IDENTIFIER_CLAIM", indexes = {
        @Index(name = "PANACEA_CLAIM_RESOURCE", columnList = "RESOURCE_ID") })
public class IdentifierClaimRow {

    @Id
    @Column(name = "RESOURCE_TYPE", length = 64)
    private String resourceType;

    @Id
    @Column(name = "TOKEN", length = 64)
    private String token;

    @Column(name = "RESOURCE_ID", length = 64, nullable = false)
    private String resourceId;

    protected IdentifierClaimRow() {
        // for JPA
    }

    public IdentifierClaimRow(String resourceType, String token, String resourceId) {
        this.resourceType = resourceType;
        this.token = token;
        this.resourceId = resourceId;
    }

    public String resourceId() {
        return resourceId;
    }

    /** The composite primary key. */
    public static class Key implements Serializable {
        private static final long serialVersionUID = 1L;
        private String resourceType;
        private String token;

        public Key() {
            // for JPA
        }

        public Key(String resourceType, String token) {
            this.resourceType = resourceType;
            this.token = token;
        }

        @Override
        public boolean equals(Object other) {
            return other instanceof Key key && Objects.equals(resourceType, key.resourceType)
                    && Objects.equals(token, key.token);
        }

        @Override
        public int hashCode() {
            return Objects.hash(resourceType, token);
        }
    }
}
