package org.panacea.dicom.dimse;

import java.io.ByteArrayInputStream;
import java.io.IOException;
import java.io.InputStream;
import java.net.InetSocketAddress;
import java.net.Socket;
import java.util.ArrayList;
import java.util.List;

import org.panacea.api.imaging.ArchivedInstance;
import org.panacea.api.imaging.ImageArchive;
import org.panacea.api.records.ResourceNotFoundException;
import org.panacea.api.security.AccessDeniedException;
import org.panacea.dicom.net.MessageChannel;
import org.panacea.dicom.net.PresentationContext;
import org.panacea.dicom.net.PresentationContextResult;
import org.panacea.dicom.net.ProtocolException;
import org.panacea.dicom.net.RoleSelection;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Storage Commitment, push model, as SCP (PS3.4 Annex J): a modality asks (N-ACTION) whether the archive has taken
 * responsibility for instances, and deletes its copies only once told so (N-EVENT-REPORT). An instance the archive
 * acknowledged is already durable (its C-STORE returned only after the commit), so the answer is immediate: the
 * N-ACTION-RSP, then the N-EVENT-REPORT on the same association (J.3.3 allows it), listing the instances committed
 * and those that are not (failure reason 0112, no such object instance). Each
 * instance is looked up through the archive, so the access policy and the audit trail see the check.
 * <p>
 * Many modalities release the association once the N-ACTION-RSP is in and wait for the report on an association of
 * the archive's (J.3.3). When the report is not answered on the same association, it is sent again on a new one to
 * the modality's configured destination ({@code destinations}, as for C-MOVE: never to an address a peer names),
 * proposing the Storage Commitment class with the archive in the SCP role. A modality that is not a configured
 * destination gets no second report, and the log says so.
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
    private final Destinations destinations;
    private final String aeTitle;
    private final int maxPduLength;
    private final int timeoutMillis;
    private final DicomTls tls;

    StorageCommitmentProvider(ImageArchive archive, Destinations destinations, String aeTitle, int maxPduLength,
            int timeoutMillis, DicomTls tls) {
        this.archive = archive;
        this.destinations = destinations;
        this.aeTitle = aeTitle;
        this.maxPduLength = maxPduLength;
        this.timeoutMillis = timeoutMillis;
        this.tls = tls;
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
        MessageChannel.Next next;
        try {
            association.out().command(context.id(), event.encode());
            association.out().dataSet(context.id(), new ByteArrayInputStream(report.encode()));
            next = association.channel().nextCommand();
        } catch (IOException e) {
            // The modality closed its connection after the N-ACTION-RSP: the report goes on a new association.
            next = new MessageChannel.Aborted();
        }
        if (!(next instanceof MessageChannel.Command answer)) {
            // A release was answered already; the serving loop then finds the connection closed and ends.
            reportOnNewAssociation(association.callingAeTitle(), event, report, committed.size(), failed.size());
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

    /**
     * Sends the report again on an association of the archive's own to {@code modality}'s configured destination,
     * with the archive in the SCP role of Storage Commitment (PS3.4 J.3.3).
     */
    private void reportOnNewAssociation(String modality, CommandSet event, Identifier report, int committed,
            int failed) {
        InetSocketAddress address = destinations.of(modality);
        if (address == null) {
            LOG.warn("Storage Commitment for {}: it left before answering the report, and it is not a configured "
                    + "destination (destinations in org.panacea.dicom), so the report was not sent again",
                    modality);
            return;
        }
        List<PresentationContext> contexts = List.of(new PresentationContext(1, Uids.STORAGE_COMMITMENT, List.of(
                report.explicitVr() ? Uids.EXPLICIT_VR_LITTLE_ENDIAN : Uids.IMPLICIT_VR_LITTLE_ENDIAN)));
        try (Socket socket = RetrieveProvider.connect(tls, address, timeoutMillis)) {
            RetrieveProvider.OutgoingAssociation outgoing = RetrieveProvider.OutgoingAssociation.open(socket,
                    aeTitle, modality, contexts, maxPduLength, List.of(new RoleSelection(Uids.STORAGE_COMMITMENT,
                            false, true)));
            if (outgoing == null) {
                LOG.warn("Storage Commitment for {}: it refused the association for the report", modality);
                return;
            }
            PresentationContextResult context = outgoing.accepted(Uids.STORAGE_COMMITMENT);
            if (context == null || !outgoing.grantsScpRole(Uids.STORAGE_COMMITMENT)) {
                LOG.warn("Storage Commitment for {}: it did not accept the report (the class in the archive's SCP "
                        + "role)", modality);
                outgoing.release();
                return;
            }
            int status = outgoing.request(context.id(), event.encode(), report.encode());
            outgoing.release();
            LOG.info("Storage Commitment for {}: report sent on a new association ({} committed, {} not), status "
                    + "0x{}", modality, committed, failed, Integer.toHexString(status));
        } catch (IOException | ProtocolException e) {
            LOG.warn("Storage Commitment for {}: the report on a new association to {} failed: {}", modality, address,
                    e.getMessage());
        }
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
