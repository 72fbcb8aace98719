package org.panacea.records.internal;

import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;

import javax.persistence.EntityManager;

import org.panacea.api.security.DecryptionException;
import org.panacea.api.security.FieldEncryption;
import org.panacea.records.internal.fhir.FhirJson;
import org.panacea.records.internal.fhir.SearchParameters;
import org.panacea.records.internal.images.ImagingStudyListing;
import org.panacea.records.internal.store.RecordSettingRow;
import org.panacea.records.internal.store.ResourceRow;
import org.panacea.records.internal.store.SearchTokenRow;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import com.fasterxml.jackson.databind.node.ObjectNode;

/**
 * Rebuilds the search tokens of every stored resource when this version indexes more (or differently) than the one
 * that wrote them: version 2 added dates and quantities as bucket tokens, reference parameters, and the search
 * parameters of the newly modelled types; version 3 indexes the Patient's security labels ({@code _security}), so
 * from version 2 only Patients are read again. Runs once, on the first start of a version with a newer index, page by
 * page (one transaction each, with progress in the log), before the record serves anything; a database with no
 * resources is simply marked current.
 */
final class SearchIndexUpgrade {

    /** The index this code writes. */
    static final int CURRENT = 3;
    static final String SETTING = "search-index-version";

    private static final Logger LOG = LoggerFactory.getLogger(SearchIndexUpgrade.class);
    private static final int PAGE = 200;

    private SearchIndexUpgrade() {
    }

    static void upgrade(Transactions transactions, FieldEncryption encryption) {
        int stored = transactions.read(em -> {
            RecordSettingRow setting = em.find(RecordSettingRow.class, SETTING);
            return setting == null ? 1 : Integer.parseInt(setting.value());
        });
        if (stored >= CURRENT) {
            return;
        }
        // Version 3 added a Patient parameter only: the other types' tokens are as version 2 wrote them.
        String types = stored == 2 ? " AND r.resourceType = 'Patient'" : "";
        long total = transactions.read(em -> em.createQuery("SELECT COUNT(r) FROM ResourceRow r WHERE 1 = 1"
                + types, Long.class).getSingleResult());
        if (total > 0) {
            LOG.info("Rebuilding the search index of {} stored resources (index version {} to {})", total, stored,
                    CURRENT);
        }
        String after = "";
        long done = 0;
        while (true) {
            String from = after;
            List<ResourceRow> page = transactions.read(em -> em.createQuery("SELECT r FROM ResourceRow r WHERE r.id > "
                    + ":after" + types + " ORDER BY r.id", ResourceRow.class).setParameter("after", from).setMaxResults(PAGE)
                    .getResultList());
            if (page.isEmpty()) {
                break;
            }
            transactions.inTransaction(em -> {
                for (ResourceRow row : page) {
                    reindex(em, encryption, row);
                }
                return null;
            });
            done += page.size();
            after = page.get(page.size() - 1).id();
            if (done % 10_000 < PAGE) {
                LOG.info("Search index: {} of {} resources done", done, total);
            }
        }
        transactions.inTransaction(em -> {
            RecordSettingRow setting = em.find(RecordSettingRow.class, SETTING);
            if (setting == null) {
                em.persist(new RecordSettingRow(SETTING, Integer.toString(CURRENT)));
            } else {
                setting.value(Integer.toString(CURRENT));
            }
            return null;
        });
        if (total > 0) {
            LOG.info("Search index rebuilt: {} resources", done);
        }
    }

    private static void reindex(EntityManager em, FieldEncryption encryption, ResourceRow row) {
        String type = row.resourceType();
        byte[] plaintext;
        try {
            plaintext = Sealed.open(encryption, row);
        } catch (DecryptionException e) {
            // A row that fails its integrity check is never served anyway; it keeps its old tokens and is reported.
            LOG.error("Search index: {}/{} left as it was: {}", type, row.id(), e.getMessage());
            return;
        }
        ObjectNode resource = FhirJson.fromBytes(plaintext);
        if (ImagingStudyListing.TYPE.equals(type)) {
            // Its series live partly in the instances' rows: their modalities are searchable too.
            new ImagingStudyListing(encryption).complete(em, row.id(), resource);
        }
        Map<String, Set<String>> values = SearchParameters.extract(type, resource);
        em.createQuery("DELETE FROM SearchTokenRow t WHERE t.resourceId = :id").setParameter("id", row.id())
                .executeUpdate();
        values.forEach((param, found) -> {
            Set<String> tokens = new LinkedHashSet<>();
            // The same tokens ResourceStore.token writes.
            found.forEach(value -> tokens.add(encryption.blindIndex(type + "." + param, value)));
            tokens.forEach(token -> em.persist(new SearchTokenRow(row.id(), type, param, token)));
        });
    }
}
