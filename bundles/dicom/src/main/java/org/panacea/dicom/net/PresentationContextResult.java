package org.panacea.dicom.net;

/**
 * The acceptor's answer to one proposed presentation context (PS3.8 9.3.3.2): {@link #ACCEPTANCE} with the chosen
 * transfer syntax, or a reason for refusing it.
 */
public record PresentationContextResult(int id, int result, String transferSyntax, String abstractSyntax) {

    public static final int ACCEPTANCE = 0;
    public static final int USER_REJECTION = 1;
    public static final int NO_REASON = 2;
    public static final int ABSTRACT_SYNTAX_NOT_SUPPORTED = 3;
    public static final int TRANSFER_SYNTAXES_NOT_SUPPORTED = 4;

    /** Whether the context was accepted. */
    public boolean accepted() {
        return result == ACCEPTANCE;
    }
}
