/**
 * FHIR search over the blind index: parsing a search ({@link org.panacea.records.internal.search.SearchRequest}),
 * running it ({@link org.panacea.records.internal.search.RecordSearch}) and the cursors that let any node serve the
 * next page.
 */
package org.panacea.records.internal.search;
