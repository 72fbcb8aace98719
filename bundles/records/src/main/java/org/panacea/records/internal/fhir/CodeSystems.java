package org.panacea.records.internal.fhir;

import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.regex.Pattern;

/**
 * The code systems Panacea checks, and how: a code that cannot exist in its system (a mistyped LOINC or SNOMED CT
 * code fails its check digit) is refused, so wrong codes never reach cohort queries or models.
 */
public final class CodeSystems {

    public static final String LOINC = "http://loinc.org";
    public static final String SNOMED_CT = "http://snomed.info/sct";
    public static final String ICD_10 = "http://hl7.org/fhir/sid/icd-10";
    public static final String ICD_10_CM = "http://hl7.org/fhir/sid/icd-10-cm";
    public static final String RXNORM = "http://www.nlm.nih.gov/research/umls/rxnorm";
    public static final String UCUM = "http://unitsofmeasure.org";

    private static final Pattern LOINC_CODE = Pattern.compile("(\\d{1,7})-(\\d)");
    /** LOINC parts and answers (LP..., LA...) share the system URI and have their own check digit rules. */
    private static final Pattern LOINC_PART_OR_ANSWER = Pattern.compile("L[APGL]\\d{1,8}-\\d");
    private static final Pattern SNOMED_ID = Pattern.compile("[1-9]\\d{5,17}");
    private static final Pattern ICD_10_CODE = Pattern.compile("[A-TV-Z]\\d[0-9AB](\\.?[0-9A-TV-Z]{1,4})?");
    private static final Pattern RXNORM_CODE = Pattern.compile("\\d{1,12}");
    /** UCUM codes are printable ASCII without spaces; brackets and braces must balance. */
    private static final Pattern UCUM_CHARACTERS = Pattern.compile("[!-~]+");

    /**
     * Units a vital sign must be reported in (FHIR R4 vital-signs profile, UCUM codes), by LOINC code. A heart rate
     * in "mm[Hg]" is a data-entry error worth stopping at the door.
     */
    private static final Map<String, Set<String>> VITAL_SIGN_UNITS = Map.ofEntries(
            Map.entry("8867-4", Set.of("/min")),
            Map.entry("9279-1", Set.of("/min")),
            Map.entry("59408-5", Set.of("%")),
            Map.entry("2708-6", Set.of("%")),
            Map.entry("8310-5", Set.of("Cel", "[degF]")),
            Map.entry("8480-6", Set.of("mm[Hg]")),
            Map.entry("8462-4", Set.of("mm[Hg]")),
            Map.entry("29463-7", Set.of("kg", "g", "[lb_av]")),
            Map.entry("8302-2", Set.of("cm", "m", "[in_i]")),
            Map.entry("39156-5", Set.of("kg/m2")));

    private CodeSystems() {
    }

    /** Why {@code code} cannot be a code of {@code system}, or empty when it can (or the system is not checked). */
    public static Optional<String> problem(String system, String code) {
        if (code == null || code.isBlank()) {
            return Optional.of("the code is missing");
        }
        switch (system) {
            case LOINC:
                return loincProblem(code);
            case SNOMED_CT:
                return snomedProblem(code);
            case ICD_10:
            case ICD_10_CM:
                return ICD_10_CODE.matcher(code).matches() ? Optional.empty()
                        : Optional.of("'" + code + "' is not an ICD-10 code (letter, two digits, optional ."
                                + " and up to four more characters, e.g. I48.0)");
            case RXNORM:
                return RXNORM_CODE.matcher(code).matches() ? Optional.empty()
                        : Optional.of("'" + code + "' is not an RxNorm concept id (digits only)");
            case UCUM:
                return ucumProblem(code);
            default:
                return Optional.empty();
        }
    }

    private static Optional<String> loincProblem(String code) {
        if (LOINC_PART_OR_ANSWER.matcher(code).matches()) {
            return Optional.empty();
        }
        var matcher = LOINC_CODE.matcher(code);
        if (!matcher.matches()) {
            return Optional.of("'" + code + "' is not a LOINC code (digits, a hyphen and a check digit, e.g. 8867-4)");
        }
        int expected = luhnCheckDigit(matcher.group(1));
        if (expected != matcher.group(2).charAt(0) - '0') {
            return Optional.of("'" + code + "' fails the LOINC check digit (expected " + matcher.group(1) + "-"
                    + expected + "): probably mistyped");
        }
        return Optional.empty();
    }

    /** LOINC's check digit is the Luhn (mod 10) digit of the code's number. */
    static int luhnCheckDigit(String digits) {
        int sum = 0;
        boolean doubleIt = true;
        for (int i = digits.length() - 1; i >= 0; i--) {
            int d = digits.charAt(i) - '0';
            if (doubleIt) {
                d *= 2;
                if (d > 9) {
                    d -= 9;
                }
            }
            sum += d;
            doubleIt = !doubleIt;
        }
        return (10 - sum % 10) % 10;
    }

    private static Optional<String> snomedProblem(String code) {
        if (!SNOMED_ID.matcher(code).matches()) {
            return Optional.of("'" + code + "' is not a SNOMED CT identifier (6 to 18 digits, e.g. 49436004)");
        }
        if (!verhoeffValid(code)) {
            return Optional.of("'" + code + "' fails the SNOMED CT check digit (Verhoeff): probably mistyped");
        }
        // Digits 2 and 3 from the right are the partition: 00 and 10 are concepts, 01/11 descriptions, 02/12
        // relationships. Only concepts may be codes.
        String partition = code.substring(code.length() - 3, code.length() - 1);
        if (!partition.equals("00") && !partition.equals("10")) {
            return Optional.of("'" + code + "' is a SNOMED CT description or relationship id, not a concept id");
        }
        return Optional.empty();
    }

    private static final int[][] VERHOEFF_D = {
            { 0, 1, 2, 3, 4, 5, 6, 7, 8, 9 }, { 1, 2, 3, 4, 0, 6, 7, 8, 9, 5 }, { 2, 3, 4, 0, 1, 7, 8, 9, 5, 6 },
            { 3, 4, 0, 1, 2, 8, 9, 5, 6, 7 }, { 4, 0, 1, 2, 3, 9, 5, 6, 7, 8 }, { 5, 9, 8, 7, 6, 0, 4, 3, 2, 1 },
            { 6, 5, 9, 8, 7, 1, 0, 4, 3, 2 }, { 7, 6, 5, 9, 8, 2, 1, 0, 4, 3 }, { 8, 7, 6, 5, 9, 3, 2, 1, 0, 4 },
            { 9, 8, 7, 6, 5, 4, 3, 2, 1, 0 } };
    private static final int[][] VERHOEFF_P = {
            { 0, 1, 2, 3, 4, 5, 6, 7, 8, 9 }, { 1, 5, 7, 6, 2, 8, 3, 0, 9, 4 }, { 5, 8, 0, 3, 7, 9, 6, 1, 4, 2 },
            { 8, 9, 1, 6, 0, 4, 3, 5, 2, 7 }, { 9, 4, 5, 3, 1, 2, 6, 8, 7, 0 }, { 4, 2, 8, 6, 5, 7, 3, 9, 0, 1 },
            { 2, 7, 9, 3, 8, 0, 6, 4, 1, 5 }, { 7, 0, 4, 6, 9, 1, 3, 2, 5, 8 } };

    static boolean verhoeffValid(String digits) {
        int c = 0;
        for (int i = 0; i < digits.length(); i++) {
            int d = digits.charAt(digits.length() - 1 - i) - '0';
            c = VERHOEFF_D[c][VERHOEFF_P[i % 8][d]];
        }
        return c == 0;
    }

    private static Optional<String> ucumProblem(String code) {
        if (!UCUM_CHARACTERS.matcher(code).matches()) {
            return Optional.of("'" + code + "' is not a UCUM unit code (printable characters, no spaces, e.g. mg/dL)");
        }
        int square = 0;
        int curly = 0;
        int round = 0;
        for (char c : code.toCharArray()) {
            square += c == '[' ? 1 : c == ']' ? -1 : 0;
            curly += c == '{' ? 1 : c == '}' ? -1 : 0;
            round += c == '(' ? 1 : c == ')' ? -1 : 0;
            if (square < 0 || curly < 0 || round < 0) {
                break;
            }
        }
        return square == 0 && curly == 0 && round == 0 ? Optional.empty()
                : Optional.of("'" + code + "' is not a UCUM unit code: its brackets do not balance");
    }

    /** The UCUM units a vital sign with this LOINC code must use, or empty when any unit will do. */
    public static Optional<Set<String>> vitalSignUnits(String loincCode) {
        return Optional.ofNullable(VITAL_SIGN_UNITS.get(loincCode));
    }
}
