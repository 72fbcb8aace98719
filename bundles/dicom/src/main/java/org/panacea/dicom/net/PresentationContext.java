package org.panacea.dicom.net;

import java.util.List;

/**
 * A presentation context as proposed in an A-ASSOCIATE-RQ: an odd id from 1 to 255, the abstract syntax (SOP class)
 * and the transfer syntaxes the requestor offers, most preferred first.
 */
public record PresentationContext(int id, String abstractSyntax, List<String> transferSyntaxes) {

    public PresentationContext {
        transferSyntaxes = List.copyOf(transferSyntaxes);
    }
}
