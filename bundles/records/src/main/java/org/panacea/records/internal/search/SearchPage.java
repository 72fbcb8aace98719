package org.panacea.records.internal.search;

import java.util.List;
import java.util.Set;

import org.panacea.api.records.StoredResource;
import org.panacea.records.internal.search.SearchRequest.Summary;

/**
 * One page of a search, as the FHIR API renders it.
 *
 * @param total      how many resources match in all
 * @param matches    this page's matches, in order
 * @param included   resources added by {@code _include}/{@code _revinclude}
 * @param next       where the next page is, or null on the last
 * @param summary    {@code _summary} to render with
 * @param elements   {@code _elements} to render with (empty: all)
 * @param warnings   what the client should know about this page (a cap reached)
 */
public record SearchPage(long total, List<StoredResource> matches, List<StoredResource> included, Next next,
        Summary summary, Set<String> elements, List<String> warnings) {

    /**
     * A kept search's next page.
     *
     * @param searchId the cursor
     * @param offset   the first match of the next page
     * @param count    page size
     */
    public record Next(String searchId, int offset, int count) {
    }
}
