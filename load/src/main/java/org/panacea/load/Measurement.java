package org.panacea.load;

/**
 * One point: a server under one kind of work from a number of clients.
 *
 * @param requestsPerSecond requests answered per second: clients / mean latency (each client always busy)
 * @param unitsPerSecond    the same in the work's unit ({@link Workload#unit})
 * @param p50               median latency, ms
 * @param p99               99th percentile latency, ms
 * @param failed            requests answered wrongly or not at all (warm-up included) of {@code requests}
 * @param failure           why, when the point could not be measured or requests failed; else null
 */
record Measurement(String server, Workload workload, int clients, double requestsPerSecond, double unitsPerSecond,
        double p50, double p99, long requests, long failed, String failure) {

    static Measurement failed(String server, Workload workload, int clients, String why) {
        return new Measurement(server, workload, clients, Double.NaN, Double.NaN, Double.NaN, Double.NaN, 0, 0, why);
    }

    boolean measured() {
        return !Double.isNaN(unitsPerSecond);
    }
}
