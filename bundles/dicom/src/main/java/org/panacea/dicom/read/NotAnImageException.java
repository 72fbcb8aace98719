package org.panacea.dicom.read;

/**
 * The file is a DICOM data set without pixel data (a structured report, a presentation state, a key object...):
 * possibly valid, but not an image, which is all Panacea stores.
 *
 * @since 1.2
 */
public class NotAnImageException extends DicomFormatException {

    private static final long serialVersionUID = 1L;

    NotAnImageException(String problem, int tag, long offset, boolean inflatedOffset) {
        super(problem, tag, offset, inflatedOffset);
    }
}
