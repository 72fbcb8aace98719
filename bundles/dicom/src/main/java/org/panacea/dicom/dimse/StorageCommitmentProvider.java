package org.panacea.dicom.dimse;

import java.io.ByteArrayInputStream;
import java.io.IOException;
import java.io.InputStream;
import java.util.ArrayList;
import java.util.List;

import org.panacea.api.imaging.ArchivedInstance;
import org.panacea.api.imaging.ImageArchive;
import org.panacea.api.records.ResourceNotFoundException;
import org.panacea.api.security.AccessDeniedException;
import org.panacea.dicom.net.MessageChannel;
import org.panacea.dicom.net.PresentationContextResult;
import org.panacea.dicom.net.ProtocolException;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Storage Commitment, push model, as SCP (PS3.4 Annex J): a modality asks (N-ACTION) whether the archive has taken
 * responsibility for instances, and deletes its copies only once told so (N-EVENT-REPORT). An instance the archive
 * acknowledged is already durable (its C-STORE returned only after the commit), so the answer is immediate: the
 * N-ACTION-RSP, then the N-EVENT-REPORT on the same association (J.3.3 allows it), listing the instances committed
 * and those that are not (failure reason 0112, no such object instance). Each
 * instance is looked up through the archive, so the access policy and the audit trail see the check.
 */
final class StorageCommitmentProvider {

    private static final Logger LOG = LoggerFactory.getLogger(StorageCommitmentProvider.class);
    static final int N_EVENT_REPORT = 0x0100;
    static final int N_ACTION = 0x0130;
    static final String WELL_KNOWN_INSTANCE = "1.2.840.10008.1.20.1.1";
    private static final int TRANSACTION_UID = 0x00081195;
    private static final int REFERENCED_SOP_SEQUENCE = 0x00081199;
    private static final int FAILED_SOP_SEQUENCE = 0x00081198;
    private static final int REFERENCED_SOP_CLASS_UID = 0x00081150;
    private static final int REFERENCED_SOP_INSTANCE_UID = 0x00081155;
    private static final int FAILURE_REASON = 0x00081197;
    private static final int NO_SUCH_OBJECT_INSTANCE = 0x0112;
    /** N-ACTION statuses (PS3.7 C.4.1). */
    private static final int NO_SUCH_ACTION_TYPE = 0x0123;
    private static final int INVALID_ARGUMENT_VALUE = 0x0115;
    private static final int NO_SUCH_SOP_INSTANCE = 0x0112;

    private final ImageArchive archive;

    StorageCommitmentProvider(ImageArchive archive) {
        this.archive = archive;
    }

    void commit(Association association, PresentationContextResult context, CommandSet request)
            throws IOException, ProtocolException {
        Identifier action;
        try (InputStream data = association.channel().dataSet(context.id())) {
            if (!request.hasDataSet()) {
                respond(association, context, request, INVALID_ARGUMENT_VALUE, "N-ACTION-RQ without a data set");
                return;
            }
            try {
                action = Identifier.read(data, context.transferSyntax().equals(Uids.EXPLICIT_VR_LITTLE_ENDIAN));
            } catch (IllegalArgumentException e) {
                respond(association, context, request, INVALID_ARGUMENT_VALUE, e.getMessage());
                return;
            }
        }
        String transaction = action.value(TRANSACTION_UID);
        if (!WELL_KNOWN_INSTANCE.equals(request.text(CommandSet.REQUESTED_SOP_INSTANCE_UID))) {
            respond(association, context, request, NO_SUCH_SOP_INSTANCE, "the Storage Commitment instance is "
                    + WELL_KNOWN_INSTANCE);
            return;
        }
        if (request.uint16Or(CommandSet.ACTION_TYPE_ID, -1) != 1) {
            respond(association, context, request, NO_SUCH_ACTION_TYPE, "Storage Commitment has action type 1 only");
            return;
        }
        if (transaction == null || transaction.isEmpty() || action.items(REFERENCED_SOP_SEQUENCE).isEmpty()) {
            respond(association, context, request, INVALID_ARGUMENT_VALUE, "a Transaction UID (0008,1195) and a "
                    + "Referenced SOP Sequence (0008,1199) with at least one item are needed");
            return;
        }
        if (!association.permissions().contains(DimsePermission.STORE)) {
            respond(association, context, request, Status.NOT_AUTHORIZED, association.callingAeTitle()
                    + " may not store");
            return;
        }
        List<Identifier> committed = new ArrayList<>();
        List<Identifier> failed = new ArrayList<>();
        for (Identifier item : action.items(REFERENCED_SOP_SEQUENCE)) {
            String sopClass = item.value(REFERENCED_SOP_CLASS_UID);
            String sopInstance = item.value(REFERENCED_SOP_INSTANCE_UID);
            Identifier reference = new Identifier(action.explicitVr());
            reference.put(REFERENCED_SOP_CLASS_UID, "UI", sopClass);
            reference.put(REFERENCED_SOP_INSTANCE_UID, "UI", sopInstance);
            int failure = check(association, sopInstance);
            if (failure == 0) {
                committed.add(reference);
            } else {
                reference.put(FAILURE_REASON, "US", Integer.toString(failure));
                failed.add(reference);
            }
        }
        respond(association, context, request, Status.SUCCESS, null);
        Identifier report = new Identifier(action.explicitVr());
        report.put(TRANSACTION_UID, "UI", transaction);
        if (!committed.isEmpty()) {
            report.putItems(REFERENCED_SOP_SEQUENCE, committed);
        }
        if (!failed.isEmpty()) {
            report.putItems(FAILED_SOP_SEQUENCE, failed);
        }
        CommandSet event = new CommandSet().uint16(CommandSet.COMMAND_FIELD, N_EVENT_REPORT)
                .uint16(CommandSet.MESSAGE_ID, 1).uint16(CommandSet.COMMAND_DATA_SET_TYPE, 0)
                .uint16(CommandSet.EVENT_TYPE_ID, failed.isEmpty() ? 1 : 2)
                .text(CommandSet.AFFECTED_SOP_CLASS_UID, Uids.STORAGE_COMMITMENT)
                .text(CommandSet.AFFECTED_SOP_INSTANCE_UID, WELL_KNOWN_INSTANCE);
        association.out().command(context.id(), event.encode());
        association.out().dataSet(context.id(), new ByteArrayInputStream(report.encode()));
        MessageChannel.Next next = association.channel().nextCommand();
        if (!(next instanceof MessageChannel.Command answer)) {
            LOG.info("Storage Commitment for {}: the peer left before answering the report",
                    association.callingAeTitle());
            return;
        }
        CommandSet response = CommandSet.decode(answer.commandSet());
        if (response.commandField() != (0x8000 | N_EVENT_REPORT)) {
            throw new ProtocolException(ProtocolException.UNEXPECTED_PDU_PARAMETER, String.format(
                    "command 0x%04X where an N-EVENT-REPORT-RSP was due", response.commandField()));
        }
        LOG.info("Storage Commitment for {}: {} committed, {} not", association.callingAeTitle(), committed.size(),
                failed.size());
    }

    /** 0 when the archive holds the instance as received, else the failure reason. */
    private int check(Association association, String sopInstance) {
        if (sopInstance == null || sopInstance.isEmpty()) {
            return NO_SUCH_OBJECT_INSTANCE;
        }
        try {
            ArchivedInstance instance = archive.describe(association.caller(), sopInstance);
            return instance.derived() ? NO_SUCH_OBJECT_INSTANCE : 0;
        } catch (ResourceNotFoundException | AccessDeniedException | IllegalArgumentException e) {
            return NO_SUCH_OBJECT_INSTANCE;
        }
    }

    private static void respond(Association association, PresentationContextResult context, CommandSet request,
            int status, String comment) throws IOException {
        CommandSet response = comment == null ? CommandSet.response(request, status, false)
                : ServiceClassProvider.failure(request, status, comment);
        response.text(CommandSet.AFFECTED_SOP_INSTANCE_UID, request.text(CommandSet.REQUESTED_SOP_INSTANCE_UID));
        response.uint16(CommandSet.ACTION_TYPE_ID, request.uint16Or(CommandSet.ACTION_TYPE_ID, 1));
        ServiceClassProvider.respond(association, context.id(), response);
    }
}
