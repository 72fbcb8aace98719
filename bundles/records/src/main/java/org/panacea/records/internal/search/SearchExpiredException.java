package org.panacea.records.internal.search;

/** A page of a kept search was asked for after it expired: the search must be run again. HTTP maps it to 410. */
public class SearchExpiredException extends RuntimeException {

    private static final long serialVersionUID = 1L;

    public SearchExpiredException(String searchId) {
        super("search " + searchId + " has expired (searches are kept for paging for "
                + RecordSearch.KEPT_FOR.toMinutes() + " minutes); run it again");
    }
}
