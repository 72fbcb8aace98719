package org.panacea.load;

/** The work measured, in the order it runs on each server. */
enum Workload {

    CREATE("FHIR Patient create", "creates/s", FhirLoad.class, "create", true),
    READ("FHIR Patient read by id", "reads/s", FhirLoad.class, "read", true),
    SEARCH("FHIR Patient search by identifier", "searches/s", FhirLoad.class, "search", true),
    STOW("STOW-RS, " + Operations.INSTANCES_PER_STOW + " new instances of a new patient per request",
            "instances/s", DicomWebLoad.class, "stow", false),
    WADO("WADO-RS study retrieval", "MB/s", DicomWebLoad.class, "wado", false),
    QIDO("QIDO-RS studies by PatientID", "searches/s", DicomWebLoad.class, "qido", false);

    final String title;
    final String unit;
    final Class<?> benchmark;
    final String method;
    final boolean fhir;

    Workload(String title, String unit, Class<?> benchmark, String method, boolean fhir) {
        this.title = title;
        this.unit = unit;
        this.benchmark = benchmark;
        this.method = method;
        this.fhir = fhir;
    }

    /** The JMH include pattern of exactly this benchmark method. */
    String include() {
        return "^" + java.util.regex.Pattern.quote(benchmark.getName() + "." + method) + "$";
    }

    /** Whether a server serves this work. */
    boolean servedBy(Target target) {
        return fhir ? target.fhirBase() != null : target.dicomWebBase() != null;
    }

    /** Work units per second from requests per second (instances per STOW request, MB per retrieved study). */
    double units(double requestsPerSecond, double bytesPerRequest) {
        return switch (this) {
            case STOW -> requestsPerSecond * Operations.INSTANCES_PER_STOW;
            case WADO -> requestsPerSecond * bytesPerRequest / 1e6;
            default -> requestsPerSecond;
        };
    }
}
