package org.panacea.records.internal;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assertions.fail;
import static org.junit.jupiter.api.Assumptions.assumeFalse;

import java.io.ByteArrayInputStream;
import java.time.Clock;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.BrokenBarrierException;
import java.util.concurrent.CyclicBarrier;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;

import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;
import org.panacea.api.imaging.ArchivedInstance;
import org.panacea.api.records.DatabaseUnavailableException;
import org.panacea.api.security.AccessDecision;
import org.panacea.api.security.AccessDeniedException;
import org.panacea.api.security.AccessPolicy;
import org.panacea.api.security.Caller;
import org.panacea.api.security.Operation;
import org.panacea.dicom.read.DicomReadLimits;
import org.panacea.records.internal.images.DicomImageArchive;

/**
 * The records connection pool against the one place a request holds a records connection while it asks for another:
 * a DICOM store whose Patient ID is new creates the patient in a transaction of its own while the store's transaction,
 * holding its connection since its first chunk, waits. The platform's rule (docs/operations.md, "Connection pools"):
 * the records pool holds at least the archive's {@code max.concurrent.stores} plus one.
 * <p>
 * The access check of the patient's creation, made between the two, holds every store that reached it until as many
 * as may run at once have: the moment a pool too small is starved, made certain rather than left to timing.
 */
class PooledStoresTest {

    private static final Caller CLINICIAN = RecordsContract.CLINICIAN;

    /**
     * The rule kept: a pool of the documented minimum (stores at once + 1) and four times as many stores of new
     * patients as may run at once, sent together; each pair that runs at once reaches the nested request together.
     * Every store completes, and every patient exists once.
     */
    @ParameterizedTest
    @ValueSource(booleans = { false, true })
    void storesOfNewPatientsAllCompleteWithAPoolOfTheDocumentedMinimum(boolean postgres) throws Exception {
        assumeServer(postgres);
        int stores = 2;
        int pool = stores + 1;
        try (RecordsFixture fixture = RecordsFixture.pooled(postgres, Clock.systemUTC(), pool, 20_000)) {
            List<Outcome> outcomes = storeNewPatients(fixture, stores, 4 * stores, 4 * stores);
            for (Outcome outcome : outcomes) {
                if (outcome.failure != null) {
                    throw new AssertionError("a store failed with a pool of " + pool + " for " + stores
                            + " stores at once", outcome.failure);
                }
            }
            assertEquals(4 * stores, outcomes.stream().map(o -> o.stored.patientId()).distinct().count());
            assertEquals(4 * stores, fixture.count("PANACEA_IMAGE_INSTANCE"));
            // Each store created a patient and a study.
            assertEquals(2 * 4 * stores, fixture.count("PANACEA_RESOURCE"));
        }
    }

    /**
     * The rule broken: as many stores at once as the pool has connections. Each holds one and asks for a second that
     * none will give back: they wait the pool's time limit and fail as the database being unavailable (a 503),
     * nothing of them kept. Had the archive no limit of its own, any pool smaller than the number of concurrent
     * uploads would end so.
     */
    @ParameterizedTest
    @ValueSource(booleans = { false, true })
    void asManyStoresAsConnectionsStarveThePool(boolean postgres) throws Exception {
        assumeServer(postgres);
        int pool = 3;
        try (RecordsFixture fixture = RecordsFixture.pooled(postgres, Clock.systemUTC(), pool, 2_000)) {
            List<Outcome> outcomes = storeNewPatients(fixture, pool, pool, pool);
            long starved = outcomes.stream().filter(o -> o.failure instanceof DatabaseUnavailableException).count();
            assertTrue(starved >= 1, "no store starved: " + outcomes);
            for (Outcome outcome : outcomes) {
                if (outcome.failure != null && !(outcome.failure instanceof DatabaseUnavailableException)) {
                    throw new AssertionError("unexpected failure", outcome.failure);
                }
            }
            long completed = outcomes.stream().filter(o -> o.stored != null).count();
            assertEquals(completed, fixture.count("PANACEA_IMAGE_INSTANCE"), "a failed store left its instance");
        }
    }

    private static void assumeServer(boolean postgres) {
        assumeFalse(postgres && RecordsFixture.POSTGRES_URL.isBlank(),
                "no PostgreSQL server named by panacea.test.postgres.url");
    }

    private record Outcome(ArchivedInstance stored, Throwable failure) {
        @Override
        public String toString() {
            return stored != null ? "stored" : String.valueOf(failure);
        }
    }

    /**
     * Sends {@code count} stores of new patients at once from as many threads, through an archive running
     * {@code maxStores} at once, each held at the patient's access check until {@code meet} of them are there.
     */
    private static List<Outcome> storeNewPatients(RecordsFixture fixture, int maxStores, int count, int meet)
            throws Exception {
        CyclicBarrier atTheNestedRequest = new CyclicBarrier(Math.min(meet, maxStores));
        AccessPolicy meeting = new MeetingPolicy(fixture.policy, atTheNestedRequest);
        DicomImageArchive archive = new DicomImageArchive(fixture.transactions, meeting, fixture.encryption,
                fixture.audit, fixture.clock, DicomReadLimits.DEFAULT.maxPixelDataBytes(), fixture.care, maxStores);
        DicomVariants ct = new DicomVariants(RecordsContract.dicom("CT_small.dcm"));
        List<byte[]> files = new ArrayList<>();
        for (int i = 0; i < count; i++) {
            files.add(ct.with(ct.newPatientId(), DicomVariants.newUid(ct.original().study().instanceUid()),
                    DicomVariants.newUid(ct.original().series().instanceUid()),
                    DicomVariants.newUid(ct.original().instance().sopInstanceUid())));
        }
        ExecutorService threads = Executors.newFixedThreadPool(count);
        try {
            CyclicBarrier start = new CyclicBarrier(count);
            List<Future<ArchivedInstance>> futures = new ArrayList<>();
            for (byte[] file : files) {
                futures.add(threads.submit(() -> {
                    start.await();
                    return archive.store(CLINICIAN, new ByteArrayInputStream(file));
                }));
            }
            List<Outcome> outcomes = new ArrayList<>();
            for (Future<ArchivedInstance> future : futures) {
                try {
                    outcomes.add(new Outcome(future.get(120, TimeUnit.SECONDS), null));
                } catch (java.util.concurrent.ExecutionException e) {
                    outcomes.add(new Outcome(null, e.getCause()));
                } catch (TimeoutException e) {
                    fail("a store neither completed nor failed within 120 s: the pool hangs instead of refusing");
                }
            }
            return outcomes;
        } finally {
            threads.shutdownNow();
        }
    }

    /** The real policy, whose check of a patient's creation first waits (at most 30 s) for the others. */
    private static final class MeetingPolicy implements AccessPolicy {
        private final AccessPolicy policy;
        private final CyclicBarrier barrier;

        MeetingPolicy(AccessPolicy policy, CyclicBarrier barrier) {
            this.policy = policy;
            this.barrier = barrier;
        }

        @Override
        public AccessDecision decide(Caller caller, Operation operation, String resourceType) {
            return policy.decide(caller, operation, resourceType);
        }

        @Override
        public void require(Caller caller, Operation operation, String resourceType) throws AccessDeniedException {
            if (operation == Operation.CREATE && "Patient".equals(resourceType)) {
                try {
                    barrier.await(30, TimeUnit.SECONDS);
                } catch (InterruptedException e) {
                    Thread.currentThread().interrupt();
                } catch (BrokenBarrierException | TimeoutException e) {
                    throw new IllegalStateException("the stores did not meet at the patient's creation", e);
                }
            }
            policy.require(caller, operation, resourceType);
        }
    }
}
