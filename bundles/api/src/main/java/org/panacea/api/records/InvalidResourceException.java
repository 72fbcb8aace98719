package org.panacea.api.records;

import java.util.List;

/** The resource (or bundle) failed validation; nothing was stored. HTTP maps it to 400 or 422. */
public class InvalidResourceException extends RuntimeException {

    private static final long serialVersionUID = 1L;

    private final transient List<ValidationIssue> issues;

    public InvalidResourceException(List<ValidationIssue> issues) {
        super(issues.isEmpty() ? "invalid resource" : issues.get(0).path() + ": " + issues.get(0).message()
                + (issues.size() > 1 ? " (and " + (issues.size() - 1) + " more)" : ""));
        this.issues = List.copyOf(issues);
    }

    /** Every problem found, never empty. */
    public List<ValidationIssue> issues() {
        return issues;
    }
}
