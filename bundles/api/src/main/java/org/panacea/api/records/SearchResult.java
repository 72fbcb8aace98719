package org.panacea.api.records;

import java.util.List;

/**
 * One page of a search.
 *
 * @param total   how many resources match in all
 * @param matches this page's resources
 */
public record SearchResult(long total, List<StoredResource> matches) {

    public SearchResult {
        matches = List.copyOf(matches);
    }
}
