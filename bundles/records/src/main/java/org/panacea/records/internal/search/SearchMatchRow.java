package org.panacea.records.internal.search;

import java.io.Serializable;
import java.util.Objects;

import javax.persistence.Column;
import javax.persistence.Entity;
import javax.persistence.Id;
import javax.persistence.IdClass;
import javax.persistence.Table;

/** One match of a kept search ({@link SearchCursorRow}): its position and the resource's id. */
@Entity
@IdClass(SearchMatchRow.Key.class)
@Table(name = "PANACEA_SEARCH_MATCH")
public class SearchMatchRow {

    @Id
    @Column(name = "SEARCH_ID", length = 64)
    private String searchId;

    @Id
    @Column(name = "POSITION")
    private int position;

    @Column(name = "RESOURCE_ID", length = 64, nullable = false)
    private String resourceId;

    protected SearchMatchRow() {
        // for JPA
    }

    public SearchMatchRow(String searchId, int position, String resourceId) {
        this.searchId = searchId;
        this.position = position;
        this.resourceId = resourceId;
    }

    public String resourceId() {
        return resourceId;
    }

    /** The composite primary key. */
    public static class Key implements Serializable {
        private static final long serialVersionUID = 1L;
        private String searchId;
        private int position;

        public Key() {
            // for JPA
        }

        @Override
        public boolean equals(Object other) {
            return other instanceof Key key && Objects.equals(searchId, key.searchId) && position == key.position;
        }

        @Override
        public int hashCode() {
            return Objects.hash(searchId, position);
        }
    }
}
