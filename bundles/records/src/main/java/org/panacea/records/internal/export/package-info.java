/** FHIR Bulk Data export ({@code $export}): jobs and their outputs kept in the database. */
package org.panacea.records.internal.export;
