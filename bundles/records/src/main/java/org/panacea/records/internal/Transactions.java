package org.panacea.records.internal;

import javax.persistence.EntityManager;
import javax.persistence.EntityManagerFactory;
import javax.persistence.EntityTransaction;
import javax.persistence.RollbackException;

import org.osgi.service.component.annotations.Activate;
import org.osgi.service.component.annotations.Component;
import org.osgi.service.component.annotations.Reference;
import org.panacea.api.audit.AuditException;
import org.panacea.api.records.DatabaseUnavailableException;
import org.panacea.api.security.FieldEncryption;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The records database, and the one way this bundle runs work on it: {@link #read} with an entity manager of its
 * own, {@link #inTransaction} in one database transaction. Everything that writes (the record store, bundle import,
 * the image archive, the seal upgrade) goes through here, so begin, commit, rollback and close are written once.
 * <p>
 * It is made ready before anyone can use it: the persistence unit is deployed (the schema created or extended), so a
 * database that cannot be reached fails the start-up rather than the first clinician's request, and rows sealed
 * before values were bound to their version and patient get their legacy permits ({@link LegacySeals}). The record
 * store and the image archive both take this one instance, so neither can read the database before that is done.
 */
@Component(service = Transactions.class)
public final class Transactions {

    /** Work to do with an entity manager (in a transaction or not, as the caller chose). */
    @FunctionalInterface
    public interface Work<T> {
        T run(EntityManager em);
    }

    /** What to throw when the commit of a transaction fails, knowing what its work returned. */
    @FunctionalInterface
    public interface CommitFailure<T> {
        RuntimeException handle(T result, RollbackException failure);
    }

    private static final Logger LOG = LoggerFactory.getLogger(Transactions.class);

    private final EntityManagerFactory entityManagers;

    @Activate
    public Transactions(@Reference(target = "(osgi.unit.name=panacea-records)") EntityManagerFactory entityManagers,
            @Reference FieldEncryption encryption) {
        this.entityManagers = entityManagers;
        // Deploys the persistence unit now (creating or extending the schema).
        entityManagers.createEntityManager().close();
        LegacySeals.permitRowsWrittenBefore(this, encryption);
        SearchIndexUpgrade.upgrade(this, encryption);
    }

    /**
     * Runs {@code work} with an entity manager of its own, outside any transaction, and closes it.
     *
     * @throws DatabaseUnavailableException when the database could not be reached or the connection was lost
     */
    public <T> T read(Work<T> work) {
        EntityManager em = entityManagers.createEntityManager();
        try {
            return work.run(em);
        } catch (RuntimeException e) {
            throw unavailableOr(e);
        } finally {
            em.close();
        }
    }

    /**
     * Runs {@code work} in one transaction and commits it when the work returns, unless the work marked it
     * rollback-only ({@code em.getTransaction().setRollbackOnly()}): then nothing it did is kept. If the work throws,
     * nothing it did is kept and the exception propagates. A failed commit throws its {@link RollbackException}.
     * Each connection is taken from the data source when the transaction needs one and given back at its end, so a
     * multi-host URL ({@code targetServerType=primary}) finds a promoted standby at the next transaction.
     *
     * @throws DatabaseUnavailableException when the database could not be reached or the connection was lost (during
     *                                      a commit: whether it happened is not known here)
     */
    public <T> T inTransaction(Work<T> work) {
        return inTransaction(work, (result, failure) -> failure);
    }

    /** As {@link #inTransaction(Work)}; a failed commit throws what {@code onCommitFailure} returns. */
    public <T> T inTransaction(Work<T> work, CommitFailure<? super T> onCommitFailure) {
        EntityManager em = entityManagers.createEntityManager();
        try {
            EntityTransaction transaction = em.getTransaction();
            transaction.begin();
            T result = work.run(em);
            if (transaction.getRollbackOnly()) {
                transaction.rollback();
                return result;
            }
            try {
                transaction.commit();
            } catch (RollbackException e) {
                throw onCommitFailure.handle(result, e);
            }
            return result;
        } catch (RuntimeException e) {
            throw unavailableOr(e);
        } finally {
            try {
                if (em.getTransaction().isActive()) {
                    em.getTransaction().rollback();
                }
            } catch (RuntimeException lost) {
                // EclipseLink's DatabaseException, not a PersistenceException: the connection went with the database,
                // which rolls the transaction back itself. Thrown from here it would hide why the work failed.
                LOG.debug("Rollback after a failed transaction failed too", lost);
            } finally {
                em.close();
            }
        }
    }

    /**
     * {@code e} as a {@link DatabaseUnavailableException} when it comes from an unreachable database (EclipseLink
     * throws its own DatabaseException as well as PersistenceExceptions); an {@link AuditException} stays one: it
     * says more precisely that nothing was done.
     */
    private static RuntimeException unavailableOr(RuntimeException e) {
        if (e instanceof AuditException || e instanceof DatabaseUnavailableException
                || !DatabaseUnavailableException.causedBy(e)) {
            return e;
        }
        return new DatabaseUnavailableException(e);
    }
}
