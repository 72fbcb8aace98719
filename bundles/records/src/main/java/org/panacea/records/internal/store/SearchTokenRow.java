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
 * One search parameter value of a resource, as a blind-index token (a keyed hash): exact search finds the resource
 * without decrypting any row, and the table reveals neither names nor codes.
 */
@Entity
@IdClass(SearchTokenRow.Key.class)
@Table(name = "PANACEA_SEARCH_TOKEN", indexes = {
        @Index(name = "PANACEA_TOKEN_LOOKUP", columnList = "RESOURCE_TYPE,PARAM,TOKEN") })
public class SearchTokenRow {

    @Id
    @Column(name = "RESOURCE_ID", length = 64)
    private String resourceId;

    @Id
    @Column(name = "PARAM", length = 64)
    private String param;

    @Id
    @Column(name = "TOKEN", length = 64)
    private String token;

    @Column(name = "RESOURCE_TYPE", length = 64, nullable = false)
    private String resourceType;

    protected SearchTokenRow() {
        // for JPA
    }

    public SearchTokenRow(String resourceId, String resourceType, String param, String token) {
        this.resourceId = resourceId;
        this.resourceType = resourceType;
        this.param = param;
        this.token = token;
    }

    /** The composite primary key. */
    public static class Key implements Serializable {
        private static final long serialVersionUID = 1L;
        private String resourceId;
        private String param;
        private String token;

        public Key() {
            // for JPA
        }

        @Override
        public boolean equals(Object other) {
            return other instanceof Key key && Objects.equals(resourceId, key.resourceId)
                    && Objects.equals(param, key.param) && Objects.equals(token, key.token);
        }

        @Override
        public int hashCode() {
            return Objects.hash(resourceId, param, token);
        }
    }
}
