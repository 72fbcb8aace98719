package org.panacea.records.internal;

import java.util.List;

import javax.persistence.EntityManager;

import org.panacea.api.security.DecryptionException;
import org.panacea.api.security.FieldBinding;
import org.panacea.api.security.FieldEncryption;
import org.panacea.records.internal.images.ImageInstanceRow;
import org.panacea.records.internal.store.ResourceRow;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Keeps rows sealed before bindings held version and patient readable, without letting anyone downgrade a newer
 * row (see {@link Sealed}): the first time this version starts on a database that has rows but no binding-format
 * markers at all, every row gets format 1 and a keyed permit over its current state, in one transaction, provided
 * that every row's value really opens under the older binding. Otherwise no permit is issued at all:
 * <ul>
 * <li>once any row carries a marker, permits are never issued again, so a row whose marker a writer removed stays
 * unreadable instead of being adopted;</li>
 * <li>a writer who removes every marker to make the database look older is stopped by the rows written since,
 * whose values do not open under the older binding. Only a database whose every row is an older value (a backup
 * from before this version, restored whole) is adopted, and telling that apart from a genuine restore needs state
 * outside the database.</li>
 * </ul>
 * Each older value is decrypted once here, on the first start of this version. The updates are plain SQL: a JPQL
 * bulk update would also increment the version column, which the permit binds.
 */
final class LegacySeals {

    private static final Logger LOG = LoggerFactory.getLogger(LegacySeals.class);
    private static final int PAGE = 200;

    private LegacySeals() {
    }

    static void permitRowsWrittenBefore(Transactions transactions, FieldEncryption encryption) {
        long unmarked = transactions.read(em -> count(em, "ResourceRow", "IS NULL")
                + count(em, "ImageInstanceRow", "IS NULL"));
        if (unmarked == 0) {
            return;
        }
        long marked = transactions.read(em -> count(em, "ResourceRow", "IS NOT NULL")
                + count(em, "ImageInstanceRow", "IS NOT NULL"));
        if (marked > 0) {
            LOG.error("{} stored rows carry no seal-format marker in a database whose rows were already marked: "
                    + "they were written outside Panacea or their marker was removed, and will not be readable",
                    unmarked);
            return;
        }
        int[] permitted = transactions.inTransaction(em -> {
            int resources = 0;
            for (List<ResourceRow> page = resources(em); !page.isEmpty(); page = resources(em)) {
                for (ResourceRow row : page) {
                    if (!opensAsLegacy(encryption, row.sealed(), Sealed.legacyResource(row.resourceType(),
                            row.id()))) {
                        return refuse(em, row.resourceType() + "/" + row.id());
                    }
                    em.createNativeQuery("UPDATE PANACEA_RESOURCE SET SEAL_FORMAT = ?, LEGACY_SEAL = ? WHERE ID = ? "
                            + "AND SEAL_FORMAT IS NULL").setParameter(1, Sealed.LEGACY)
                            .setParameter(2, Sealed.permit(encryption, row)).setParameter(3, row.id())
                            .executeUpdate();
                    resources++;
                }
                em.clear();
            }
            int images = 0;
            for (List<ImageInstanceRow> page = images(em); !page.isEmpty(); page = images(em)) {
                for (ImageInstanceRow row : page) {
                    if (!opensAsLegacy(encryption, row.sealedMetadata(), Sealed.legacyImageMetadata(row
                            .binaryId()))) {
                        return refuse(em, "the image instance stored as Binary/" + row.binaryId());
                    }
                    em.createNativeQuery("UPDATE PANACEA_IMAGE_INSTANCE SET SEAL_FORMAT = ?, LEGACY_SEAL = ? WHERE "
                            + "UID_TOKEN = ? AND SEAL_FORMAT IS NULL").setParameter(1, Sealed.LEGACY)
                            .setParameter(2, Sealed.permit(encryption, row)).setParameter(3, row.uidToken())
                            .executeUpdate();
                    images++;
                }
                em.clear();
            }
            return new int[] { resources, images };
        });
        if (permitted != null) {
            LOG.info("{} resources and {} image instances sealed before values were bound to their version and "
                    + "patient stay readable under a legacy permit; each is re-sealed on its next write",
                    permitted[0], permitted[1]);
        }
    }

    private static boolean opensAsLegacy(FieldEncryption encryption, byte[] sealed, FieldBinding binding) {
        try {
            encryption.decrypt(binding, sealed);
            return true;
        } catch (DecryptionException e) {
            return false;
        }
    }

    /** Gives up: nothing done in this transaction is kept, and no row gets a permit. */
    private static int[] refuse(EntityManager em, String row) {
        em.getTransaction().setRollbackOnly();
        LOG.error("No stored row carries a seal-format marker, yet {} does not open under the binding of older "
                + "versions: the markers were removed from a database already in use. No row is given a legacy "
                + "permit; rows without a marker will not be readable", row);
        return null;
    }

    private static long count(EntityManager em, String entity, String condition) {
        return em.createQuery("SELECT COUNT(x) FROM " + entity + " x WHERE x.sealFormat " + condition, Long.class)
                .getSingleResult();
    }

    private static List<ResourceRow> resources(EntityManager em) {
        return em.createQuery("SELECT r FROM ResourceRow r WHERE r.sealFormat IS NULL ORDER BY r.id",
                ResourceRow.class).setMaxResults(PAGE).getResultList();
    }

    private static List<ImageInstanceRow> images(EntityManager em) {
        return em.createQuery("SELECT i FROM ImageInstanceRow i WHERE i.sealFormat IS NULL ORDER BY i.uidToken",
                ImageInstanceRow.class).setMaxResults(PAGE).getResultList();
    }
}
