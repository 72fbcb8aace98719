package org.panacea.records.internal.search;

import javax.persistence.Column;
import javax.persistence.Entity;
import javax.persistence.Id;
import javax.persistence.Index;
import javax.persistence.Table;

/**
 * A search whose matches are kept for paging: who ran it, until when it can be paged, and the options each page is
 * served with (includes, elements: parameter names only, never the values searched for). Its matches, by id in
 * order, are {@link SearchMatchRow}s. In the database, so that any node serves the next page.
 */
@Entity
@Table(name = "PANACEA_SEARCH", indexes = { @Index(name = "PANACEA_SEARCH_EXPIRY", columnList = "EXPIRES") })
public class SearchCursorRow {

    @Id
    @Column(name = "ID", length = 64)
    private String id;

    /** The user who ran it: nobody else may page through it. */
    @Column(name = "OWNER", length = 256, nullable = false)
    private String owner;

    @Column(name = "RESOURCE_TYPE", length = 64, nullable = false)
    private String resourceType;

    @Column(name = "TOTAL", nullable = false)
    private long total;

    @Column(name = "KEPT", nullable = false)
    private int kept;

    @Column(name = "EXPIRES", nullable = false)
    private long expiresMillis;

    /** The page options as a query string of parameter names and include paths; no searched value. */
    @Column(name = "OPTIONS", length = 2048, nullable = false)
    private String options;

    protected SearchCursorRow() {
        // for JPA
    }

    public SearchCursorRow(String id, String owner, String resourceType, long total, int kept, long expiresMillis,
            String options) {
        this.id = id;
        this.owner = owner;
        this.resourceType = resourceType;
        this.total = total;
        this.kept = kept;
        this.expiresMillis = expiresMillis;
        this.options = options;
    }

    public String id() {
        return id;
    }

    public String owner() {
        return owner;
    }

    public String resourceType() {
        return resourceType;
    }

    public long total() {
        return total;
    }

    /** How many matches are kept for paging (at most the cap; the total may be larger). */
    public int kept() {
        return kept;
    }

    public long expiresMillis() {
        return expiresMillis;
    }

    public String options() {
        return options;
    }
}
