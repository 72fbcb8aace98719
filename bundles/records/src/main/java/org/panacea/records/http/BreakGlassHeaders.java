package org.panacea.records.http;

import java.util.Locale;
import java.util.Optional;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

import javax.servlet.http.HttpServletRequest;

import org.panacea.api.records.ChartAccess;
import org.panacea.api.security.Caller;
import org.panacea.records.internal.JpaPatientRecords;
import org.panacea.rest.http.HttpProblem;

/**
 * Break-glass asked for over HTTP: {@code X-Purpose-Of-Use: BTG} with {@code X-Break-Glass-Reason: <text>}. The grant
 * opens the chart of the one patient the request names (its address, the resource it reads, or the {@code patient},
 * {@code subject} or Patient {@code _id} parameter of a search), and is made before the request runs, which then
 * finds it as any later request of the same user does while it lasts.
 */
final class BreakGlassHeaders {

    private static final Pattern PATIENT_ADDRESS = Pattern.compile("/Patient/([A-Za-z0-9\\-.]{1,64})(/.*)?");
    private static final Pattern RESOURCE_ADDRESS = Pattern.compile(
            "/([A-Z][A-Za-z]{1,63})/([A-Za-z0-9\\-.]{1,64})(/_history(/.*)?)?");
    private static final Pattern SEARCH_ADDRESS = Pattern.compile("/([A-Z][A-Za-z]{1,63})/?");

    private BreakGlassHeaders() {
    }

    /**
     * Breaks the glass when the request asks to, before it runs; does nothing for a request without the headers.
     *
     * @throws HttpProblem              400 when the headers are incomplete, name another purpose, or the request
     *                                  names no single patient
     * @throws IllegalArgumentException (400) when the reason is blank or too long
     */
    static void applyIfAsked(HttpServletRequest request, String path, Caller caller, JpaPatientRecords records) {
        String purpose = request.getHeader(ChartAccess.PURPOSE_OF_USE_HEADER);
        String reason = request.getHeader(ChartAccess.BREAK_GLASS_REASON_HEADER);
        if (purpose == null && reason == null) {
            return;
        }
        if (purpose == null || !ChartAccess.BREAK_GLASS_PURPOSE.equals(purpose.strip().toUpperCase(Locale.ROOT))) {
            throw new HttpProblem(400, "invalid", ChartAccess.PURPOSE_OF_USE_HEADER + " is "
                    + (purpose == null ? "missing" : "'" + purpose + "'") + ": to break the glass send "
                    + ChartAccess.PURPOSE_OF_USE_HEADER + ": " + ChartAccess.BREAK_GLASS_PURPOSE + " with "
                    + ChartAccess.BREAK_GLASS_REASON_HEADER + ": <reason>; no other purpose of use is understood");
        }
        if (reason == null || reason.isBlank()) {
            throw new HttpProblem(400, "required", ChartAccess.BREAK_GLASS_REASON_HEADER + " is missing or blank: "
                    + "break-glass needs the reason for opening this chart, e.g. \"unconscious patient in the "
                    + "emergency room\"; it is kept in the audit trail");
        }
        String patient = patientNamed(request, path, records).orElseThrow(() -> new HttpProblem(400, "invalid",
                "break-glass opens one patient's chart: send the headers with a request that names the patient "
                        + "(/fhir/Patient/{id}, a resource of the patient, or a search with patient=Patient/{id})"));
        records.care().breakGlass(caller, patient, reason);
    }

    private static Optional<String> patientNamed(HttpServletRequest request, String path, JpaPatientRecords records) {
        Matcher patient = PATIENT_ADDRESS.matcher(path);
        if (patient.matches()) {
            return Optional.of(patient.group(1));
        }
        Matcher resource = RESOURCE_ADDRESS.matcher(path);
        if (resource.matches()) {
            String chart = records.chartOf(resource.group(1), resource.group(2));
            return chart.isEmpty() ? Optional.empty() : Optional.of(chart);
        }
        Matcher search = SEARCH_ADDRESS.matcher(path);
        if (search.matches() && "GET".equals(request.getMethod())) {
            for (String name : new String[] { "patient", "subject", "Patient".equals(search.group(1)) ? "_id" : "" }) {
                String[] values = name.isEmpty() ? null : request.getParameterValues(name);
                if (values != null && values.length == 1 && !values[0].contains(",")) {
                    String value = values[0].startsWith("Patient/") ? values[0].substring("Patient/".length())
                            : values[0];
                    if (!value.isBlank()) {
                        return Optional.of(value);
                    }
                }
            }
        }
        return Optional.empty();
    }
}
