package org.panacea.dicom.dimse;

import java.io.ByteArrayInputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.SequenceInputStream;
import java.util.List;

import org.panacea.api.imaging.ArchivedInstance;
import org.panacea.api.imaging.ImageArchive;
import org.panacea.api.imaging.InvalidImageException;
import org.panacea.api.imaging.StoredInstance;
import org.panacea.api.imaging.ValueChecking;
import org.panacea.api.imaging.ValueWarning;
import org.panacea.api.security.AccessDeniedException;
import org.panacea.dicom.net.MessageChannel;
import org.panacea.dicom.net.PresentationContextResult;
import org.panacea.dicom.net.ProtocolException;
import org.panacea.dicom.read.DicomLimitException;
import org.panacea.dicom.read.InvalidValueException;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The DIMSE services of an established association: C-ECHO; C-STORE into the {@link ImageArchive} (the same archive,
 * policy and audit STOW-RS uses: the data set, behind a Part 10 header, goes through the same reader); C-FIND through
 * {@link QueryProvider}; C-GET and C-MOVE through {@link RetrieveProvider}; Storage Commitment through
 * {@link StorageCommitmentProvider}. Each request is answered with a PS3.4 status and, on failure, an error comment saying what
 * was wrong. Thread-safe: each association is served on its own thread.
 */
final class ServiceClassProvider {

    private static final Logger LOG = LoggerFactory.getLogger(ServiceClassProvider.class);
    private static final int C_STORE = 0x0001;
    private static final int C_FIND = 0x0020;
    private static final int C_ECHO = 0x0030;
    private static final int C_CANCEL = 0x0FFF;

    private final ImageArchive archive;
    /** How values that break their VR's rules are taken: stored with a warning, or refused. */
    private final ValueChecking checking;
    private final QueryProvider queries;
    private final RetrieveProvider retrieves;
    private final StorageCommitmentProvider commitments;

    ServiceClassProvider(ImageArchive archive, ValueChecking checking, QueryProvider queries,
            RetrieveProvider retrieves, StorageCommitmentProvider commitments) {
        this.checking = checking;
        this.archive = archive;
        this.queries = queries;
        this.retrieves = retrieves;
        this.commitments = commitments;
    }

    /** Serves messages until the peer releases or aborts; a protocol error ends it with an exception. */
    void serve(Association association) throws IOException, ProtocolException {
        while (true) {
            MessageChannel.Next next = association.channel().nextCommand();
            if (!(next instanceof MessageChannel.Command command)) {
                return;
            }
            CommandSet request;
            try {
                request = CommandSet.decode(command.commandSet());
                request.commandField();
            } catch (IllegalArgumentException e) {
                throw new ProtocolException(ProtocolException.INVALID_PDU_PARAMETER_VALUE, "malformed command set: "
                        + e.getMessage());
            }
            PresentationContextResult context = association.accept().accepted(command.contextId());
            switch (request.commandField()) {
                case C_ECHO -> respond(association, command.contextId(), CommandSet.response(request, Status.SUCCESS,
                        false));
                case C_STORE -> store(association, context, request);
                case C_FIND -> queries.find(association, context, request);
                case RetrieveProvider.C_GET, RetrieveProvider.C_MOVE -> retrieves.retrieve(association, context,
                        request);
                case StorageCommitmentProvider.N_ACTION -> commitments.commit(association, context, request);
                case C_CANCEL -> {
                    // a C-FIND is answered whole before the next command is read: nothing left to cancel
                }
                default -> {
                    if (request.hasDataSet()) {
                        association.channel().dataSet(command.contextId()).close();
                    }
                    respond(association, command.contextId(), failure(request, Status.UNRECOGNIZED_OPERATION,
                            String.format("command 0x%04X is not supported here", request.commandField())));
                }
            }
        }
    }

    private void store(Association association, PresentationContextResult context, CommandSet request)
            throws IOException, ProtocolException {
        String sopClass = request.text(CommandSet.AFFECTED_SOP_CLASS_UID);
        String sopInstance = request.text(CommandSet.AFFECTED_SOP_INSTANCE_UID);
        InputStream data = association.channel().dataSet(context.id());
        CommandSet response;
        try (data) {
            if (!request.hasDataSet() || sopClass == null || sopInstance == null) {
                response = failure(request, Status.CANNOT_UNDERSTAND, "C-STORE-RQ needs a data set, an affected SOP "
                        + "class UID and an affected SOP instance UID");
            } else if (!sopClass.equals(context.abstractSyntax())) {
                response = failure(request, Status.DATA_SET_DOES_NOT_MATCH, "SOP class " + sopClass + " was sent on "
                        + "the presentation context of " + context.abstractSyntax());
            } else if (!association.permissions().contains(DimsePermission.STORE)) {
                response = failure(request, Status.NOT_AUTHORIZED, association.callingAeTitle() + " may not store");
            } else {
                response = storeInArchive(association, context, request, sopClass, sopInstance, data);
            }
        }
        response.text(CommandSet.AFFECTED_SOP_INSTANCE_UID, sopInstance);
        respond(association, context.id(), response);
    }

    private CommandSet storeInArchive(Association association, PresentationContextResult context, CommandSet request,
            String sopClass, String sopInstance, InputStream data) throws IOException {
        InputStream part10 = new SequenceInputStream(new ByteArrayInputStream(Part10Header.of(sopClass, sopInstance,
                context.transferSyntax())), data);
        try {
            StoredInstance received = archive.store(association.caller(), part10, checking);
            ArchivedInstance stored = received.instance();
            if (!stored.sopInstanceUid().equals(sopInstance)) {
                LOG.warn("C-STORE from {}: the data set's SOP instance UID differs from the command's",
                        association.callingAeTitle());
                return failure(request, Status.DATA_SET_DOES_NOT_MATCH, "the data set's SOP Instance UID "
                        + stored.sopInstanceUid() + " differs from the command's " + sopInstance
                        + "; it was stored under the data set's");
            }
            if (!received.warnings().isEmpty()) {
                // Stored as received, as STOW-RS does: the modality keeps no copy it need not, and learns which
                // elements held values that break their VR's rules (the values themselves are not repeated).
                List<Integer> offending = received.warnings().stream().map(ValueWarning::tag).distinct().toList();
                CommandSet warning = failure(request, Status.STORED_WITH_INVALID_VALUES, "stored as received; invalid: "
                        + received.warnings().stream().map(ValueWarning::name).distinct()
                                .collect(java.util.stream.Collectors.joining(", ")));
                return warning.tags(CommandSet.OFFENDING_ELEMENT, offending);
            }
            return CommandSet.response(request, Status.SUCCESS, false);
        } catch (InvalidImageException e) {
            rethrowProtocolViolation(e);
            if (e.getCause() instanceof DicomLimitException) {
                return failure(request, Status.OUT_OF_RESOURCES, e.getMessage());
            }
            if (e.getCause() instanceof InvalidValueException) {
                // strict.values: a value that breaks its VR's rules refuses the file, naming the element.
                return failure(request, Status.DATA_SET_DOES_NOT_MATCH, e.getMessage());
            }
            return failure(request, Status.CANNOT_UNDERSTAND, e.getMessage());
        } catch (AccessDeniedException e) {
            return failure(request, Status.NOT_AUTHORIZED, e.getMessage());
        } catch (RuntimeException e) {
            rethrowProtocolViolation(e);
            LOG.error("C-STORE from {} failed in the archive", association.callingAeTitle(), e);
            return failure(request, Status.OUT_OF_RESOURCES, "the archive could not store it: "
                    + e.getClass().getSimpleName());
        }
    }

    /** A data set cut short by a protocol error is the association's failure, not the instance's. */
    private static void rethrowProtocolViolation(Throwable e) throws MessageChannel.ProtocolViolation {
        for (Throwable cause = e; cause != null; cause = cause.getCause()) {
            if (cause instanceof MessageChannel.ProtocolViolation violation) {
                throw violation;
            }
        }
    }

    static CommandSet failure(CommandSet request, int status, String comment) {
        CommandSet response = CommandSet.response(request, status, false);
        // Error Comment is LO: at most 64 characters of the default repertoire.
        String ascii = comment == null ? "" : comment.replaceAll("[^ -~]", "?");
        response.text(CommandSet.ERROR_COMMENT, ascii.length() > 64 ? ascii.substring(0, 64) : ascii);
        return response;
    }

    static void respond(Association association, int contextId, CommandSet response) throws IOException {
        association.out().command(contextId, response.encode());
    }
}
