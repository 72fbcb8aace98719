package org.panacea.dicom.dimse;

import java.io.BufferedInputStream;
import java.io.BufferedOutputStream;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.net.InetSocketAddress;
import java.net.Socket;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Set;

import org.panacea.api.imaging.ImageArchive;
import org.panacea.api.records.ResourceNotFoundException;
import org.panacea.api.security.AccessDeniedException;
import org.panacea.dicom.http.QidoRs;
import org.panacea.dicom.net.AssociationAccept;
import org.panacea.dicom.net.AssociationCodec;
import org.panacea.dicom.net.AssociationRequest;
import org.panacea.dicom.net.MessageChannel;
import org.panacea.dicom.net.Pdu;
import org.panacea.dicom.net.PduInput;
import org.panacea.dicom.net.PduOutput;
import org.panacea.dicom.net.PresentationContext;
import org.panacea.dicom.net.PresentationContextResult;
import org.panacea.dicom.net.ProtocolException;
import org.panacea.dicom.net.RoleSelection;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * C-GET and C-MOVE (PS3.4 C.4.2, C.4.3): the instances of a study, series or instance list, found by the same
 * record searches as C-FIND and read from the archive as received (each read checked and audited by the archive),
 * sent by C-STORE sub-operations. C-GET sends them on the same association, on the storage contexts where the peer
 * took the SCP role; C-MOVE opens an association of its own, as {@code ae.title}, to a destination the configuration
 * names (never to an address the peer gives). Each sub-operation is followed by a pending response with the counts,
 * and the final response says how many completed and failed. Instances are sent in the transfer syntax they were
 * stored in: a peer that did not accept it for that SOP class counts as a failed sub-operation.
 */
final class RetrieveProvider {

    private static final Logger LOG = LoggerFactory.getLogger(RetrieveProvider.class);
    static final int C_GET = 0x0010;
    static final int C_MOVE = 0x0021;
    private static final int C_STORE = 0x0001;
    private static final int QUERY_RETRIEVE_LEVEL = 0x00080052;
    private static final int PATIENT_ID = 0x00100020;
    private static final int STUDY_INSTANCE_UID = 0x0020000D;
    private static final int SERIES_INSTANCE_UID = 0x0020000E;
    private static final int SOP_INSTANCE_UID = 0x00080018;
    private static final int SOP_CLASS_UID = 0x00080016;
    /** C-MOVE: refused, move destination unknown. */
    private static final int MOVE_DESTINATION_UNKNOWN = 0xA801;
    /** Sub-operations complete, one or more failures. */
    private static final int SOME_FAILED = 0xB000;
    /** Refused: out of resources, unable to perform sub-operations. */
    private static final int NONE_PERFORMED = 0xA702;

    private final QidoRs qido;
    private final ImageArchive archive;
    private final Destinations destinations;
    private final String aeTitle;
    private final int maxPduLength;
    private final int timeoutMillis;
    private final DicomTls tls;

    /** @param tls the TLS of the archive's own associations (C-MOVE), or {@code null} for plain TCP */
    RetrieveProvider(QidoRs qido, ImageArchive archive, Destinations destinations, String aeTitle, int maxPduLength,
            int timeoutMillis, DicomTls tls) {
        this.tls = tls;
        this.qido = qido;
        this.archive = archive;
        this.destinations = destinations;
        this.aeTitle = aeTitle;
        this.maxPduLength = maxPduLength;
        this.timeoutMillis = timeoutMillis;
    }

    /** Where the sub-operations' C-STORE requests go, and their responses come from. */
    private interface StoreTarget {
        /** Sends one instance and returns the C-STORE status, or -1 when it could not be sent at all. */
        int store(StoredInstance instance, int messageId) throws IOException, ProtocolException;
    }

    void retrieve(Association association, PresentationContextResult context, CommandSet request)
            throws IOException, ProtocolException {
        Identifier identifier;
        try (InputStream data = association.channel().dataSet(context.id())) {
            try {
                identifier = Identifier.read(data, context.transferSyntax().equals(Uids.EXPLICIT_VR_LITTLE_ENDIAN));
            } catch (IllegalArgumentException e) {
                respondFinal(association, context, request, Status.UNABLE_TO_PROCESS, e.getMessage(), 0, 0);
                return;
            }
        }
        if (!association.permissions().contains(DimsePermission.RETRIEVE)) {
            respondFinal(association, context, request, Status.NOT_AUTHORIZED, association.callingAeTitle()
                    + " may not retrieve", 0, 0);
            return;
        }
        List<String[]> instances;
        try {
            instances = instances(association, identifier);
        } catch (IllegalArgumentException e) {
            respondFinal(association, context, request, Status.IDENTIFIER_DOES_NOT_MATCH, e.getMessage(), 0, 0);
            return;
        } catch (AccessDeniedException e) {
            respondFinal(association, context, request, Status.NOT_AUTHORIZED, e.getMessage(), 0, 0);
            return;
        }
        if (request.commandField() == C_MOVE) {
            String destination = request.text(CommandSet.MOVE_DESTINATION);
            InetSocketAddress address = destination == null ? null : destinations.of(destination);
            if (address == null) {
                respondFinal(association, context, request, MOVE_DESTINATION_UNKNOWN, "move destination "
                        + destination + " is not configured", 0, 0);
                return;
            }
            try (Socket socket = connect(tls, address, timeoutMillis)) {
                OutgoingAssociation outgoing = OutgoingAssociation.open(socket, aeTitle, destination,
                        contextsFor(association, instances), maxPduLength);
                if (outgoing == null) {
                    respondFinal(association, context, request, NONE_PERFORMED, "move destination " + destination
                            + " refused the association", 0, instances.size());
                    return;
                }
                String originator = association.callingAeTitle();
                int originatorMessageId = request.uint16Or(CommandSet.MESSAGE_ID, 0);
                send(association, context, request, instances, (instance, messageId) -> outgoing.store(instance,
                        messageId, originator, originatorMessageId));
                outgoing.release();
            } catch (IOException | ProtocolException e) {
                LOG.warn("C-MOVE from {} to {}: {}", association.callingAeTitle(), destination, e.getMessage());
                respondFinal(association, context, request, NONE_PERFORMED, "move destination " + destination
                        + " failed: " + e.getMessage(), 0, instances.size());
            }
        } else {
            send(association, context, request, instances, (instance, messageId) -> storeOnSameAssociation(
                    association, instance, messageId));
        }
    }

    private void send(Association association, PresentationContextResult context, CommandSet request,
            List<String[]> instances, StoreTarget target) throws IOException, ProtocolException {
        int completed = 0;
        int failed = 0;
        int warnings = 0;
        int messageId = 1;
        for (String[] one : instances) {
            int status;
            try {
                ByteArrayOutputStream bytes = new ByteArrayOutputStream();
                archive.retrieve(association.caller(), one[1], bytes);
                status = target.store(StoredInstance.of(one[0], one[1], bytes.toByteArray()), messageId++);
            } catch (IllegalArgumentException | ResourceNotFoundException | AccessDeniedException e) {
                LOG.info("C-{} sub-operation for {} not sent: {}", request.commandField() == C_MOVE ? "MOVE" : "GET",
                        association.callingAeTitle(), e.getMessage());
                status = -1;
            }
            if (status == Status.SUCCESS) {
                completed++;
            } else if ((status & 0xF000) == 0xB000) {
                warnings++;
            } else {
                failed++;
            }
            int remaining = instances.size() - completed - failed - warnings;
            if (remaining > 0) {
                CommandSet pending = CommandSet.response(request, Status.PENDING, false);
                counts(pending, remaining, completed, failed, warnings);
                ServiceClassProvider.respond(association, context.id(), pending);
            }
        }
        int status = failed == 0 ? Status.SUCCESS : completed + warnings == 0 ? NONE_PERFORMED : SOME_FAILED;
        CommandSet response = status == Status.SUCCESS ? CommandSet.response(request, status, false)
                : ServiceClassProvider.failure(request, status, failed + " of " + instances.size()
                        + " sub-operations failed");
        counts(response, -1, completed, failed, warnings);
        ServiceClassProvider.respond(association, context.id(), response);
    }

    private static void counts(CommandSet response, int remaining, int completed, int failed, int warnings) {
        if (remaining >= 0) {
            response.uint16(CommandSet.REMAINING_SUB_OPERATIONS, remaining);
        }
        response.uint16(CommandSet.COMPLETED_SUB_OPERATIONS, completed);
        response.uint16(CommandSet.FAILED_SUB_OPERATIONS, failed);
        response.uint16(CommandSet.WARNING_SUB_OPERATIONS, warnings);
    }

    private static void respondFinal(Association association, PresentationContextResult context, CommandSet request,
            int status, String comment, int completed, int failed) throws IOException {
        CommandSet response = ServiceClassProvider.failure(request, status, comment);
        counts(response, -1, completed, failed, 0);
        ServiceClassProvider.respond(association, context.id(), response);
    }

    /** C-GET: a C-STORE on a storage context of this association where the peer acts as SCP. */
    private static int storeOnSameAssociation(Association association, StoredInstance instance, int messageId)
            throws IOException, ProtocolException {
        PresentationContextResult storage = null;
        for (PresentationContextResult result : association.accept().results()) {
            if (result.accepted() && result.abstractSyntax().equals(instance.sopClassUid())
                    && result.transferSyntax().equals(instance.transferSyntaxUid())
                    && association.peerScpClasses().contains(instance.sopClassUid())) {
                storage = result;
                break;
            }
        }
        if (storage == null) {
            LOG.info("C-GET for {}: no accepted context for {} in {}", association.callingAeTitle(),
                    instance.sopClassUid(), instance.transferSyntaxUid());
            return -1;
        }
        association.out().command(storage.id(), storeRequest(instance, messageId, null, 0).encode());
        association.out().dataSet(storage.id(), instance.dataSet());
        MessageChannel.Next next = association.channel().nextCommand();
        if (!(next instanceof MessageChannel.Command response)) {
            throw new ProtocolException(ProtocolException.UNEXPECTED_PDU, "the peer ended the association inside "
                    + "a C-GET");
        }
        CommandSet rsp = CommandSet.decode(response.commandSet());
        if (rsp.commandField() != (0x8000 | C_STORE)) {
            throw new ProtocolException(ProtocolException.UNEXPECTED_PDU_PARAMETER, String.format(
                    "command 0x%04X where a C-STORE-RSP was due", rsp.commandField()));
        }
        return rsp.uint16Or(CommandSet.STATUS, -1);
    }

    static CommandSet storeRequest(StoredInstance instance, int messageId, String originator, int originatorMessageId) {
        CommandSet store = new CommandSet().uint16(CommandSet.COMMAND_FIELD, C_STORE)
                .uint16(CommandSet.MESSAGE_ID, messageId).uint16(CommandSet.PRIORITY, 0)
                .uint16(CommandSet.COMMAND_DATA_SET_TYPE, 0)
                .text(CommandSet.AFFECTED_SOP_CLASS_UID, instance.sopClassUid())
                .text(CommandSet.AFFECTED_SOP_INSTANCE_UID, instance.sopInstanceUid());
        if (originator != null) {
            store.text(CommandSet.MOVE_ORIGINATOR_AE_TITLE, originator);
            store.uint16(CommandSet.MOVE_ORIGINATOR_MESSAGE_ID, originatorMessageId);
        }
        return store;
    }

    /** The presentation contexts a C-MOVE proposes: each SOP class with the syntaxes its instances are stored in. */
    private List<PresentationContext> contextsFor(Association association, List<String[]> instances) {
        Map<String, Set<String>> syntaxes = new LinkedHashMap<>();
        for (String[] one : instances) {
            syntaxes.computeIfAbsent(one[0], sopClass -> new LinkedHashSet<>(Uids.STORAGE_TRANSFER_SYNTAXES));
        }
        List<PresentationContext> contexts = new ArrayList<>();
        int id = 1;
        for (Map.Entry<String, Set<String>> entry : syntaxes.entrySet()) {
            // One context per stored syntax, so the destination can accept exactly the ones it decodes.
            for (String syntax : entry.getValue()) {
                if (id > 255) {
                    break;
                }
                contexts.add(new PresentationContext(id, entry.getKey(), List.of(syntax)));
                id += 2;
            }
        }
        return contexts;
    }

    /**
     * The instances the identifier names, as {SOP class UID, SOP instance UID}: a PATIENT (all its studies), a
     * STUDY, SERIES (with their study) or IMAGE level retrieve by unique keys, lists allowed.
     */
    private List<String[]> instances(Association association, Identifier identifier) {
        String level = identifier.value(QUERY_RETRIEVE_LEVEL);
        level = level == null ? "" : level.toUpperCase(Locale.ROOT);
        List<String> studies = values(identifier, STUDY_INSTANCE_UID);
        if (level.equals("PATIENT")) {
            List<String> patient = values(identifier, PATIENT_ID);
            if (patient.size() != 1) {
                throw new IllegalArgumentException("a PATIENT level retrieve needs one PatientID (0010,0020)");
            }
            studies = new ArrayList<>();
            for (Map<String, Object> study : qido.studies(association.caller(), Map.of("PatientID",
                    new String[] {patient.get(0)}, "limit", new String[] {"1000"})).matches()) {
                studies.add(QueryProvider.text(study.get("0020000D")));
            }
        } else if (!Set.of("STUDY", "SERIES", "IMAGE").contains(level)) {
            throw new IllegalArgumentException("Query/Retrieve Level (0008,0052) must be PATIENT, STUDY, SERIES or "
                    + "IMAGE, was '" + level + "'");
        } else if (studies.isEmpty()) {
            throw new IllegalArgumentException("a retrieve needs the StudyInstanceUID (0020,000D)");
        }
        List<String> series = values(identifier, SERIES_INSTANCE_UID);
        List<String> sopInstances = values(identifier, SOP_INSTANCE_UID);
        if ((level.equals("SERIES") || level.equals("IMAGE")) && series.isEmpty()) {
            throw new IllegalArgumentException("a " + level + " level retrieve needs the SeriesInstanceUID "
                    + "(0020,000E)");
        }
        if (level.equals("IMAGE") && sopInstances.isEmpty()) {
            throw new IllegalArgumentException("an IMAGE level retrieve needs the SOPInstanceUID (0008,0018)");
        }
        List<String[]> found = new ArrayList<>();
        for (String study : studies) {
            List<String> seriesOfStudy;
            if (level.equals("STUDY") || level.equals("PATIENT")) {
                seriesOfStudy = new ArrayList<>();
                try {
                    for (Map<String, Object> one : qido.series(association.caller(), study)) {
                        seriesOfStudy.add(QueryProvider.text(one.get("0020000E")));
                    }
                } catch (ResourceNotFoundException e) {
                    continue;
                }
            } else {
                seriesOfStudy = series;
            }
            for (String one : seriesOfStudy) {
                try {
                    for (Map<String, Object> instance : qido.instances(association.caller(), study, one, "")) {
                        String uid = QueryProvider.text(instance.get("00080018"));
                        if (sopInstances.isEmpty() || sopInstances.contains(uid)) {
                            found.add(new String[] {QueryProvider.text(instance.get("00080016")), uid});
                        }
                    }
                } catch (ResourceNotFoundException e) {
                    // a series not in this study: nothing to send from it
                }
            }
        }
        return found;
    }

    private static List<String> values(Identifier identifier, int tag) {
        String value = identifier.value(tag);
        if (value == null || value.isEmpty()) {
            return List.of();
        }
        if (value.contains("*") || value.contains("?")) {
            throw new IllegalArgumentException(Identifier.tagName(tag) + " must list unique keys, not a wildcard");
        }
        List<String> values = new ArrayList<>();
        for (String one : value.split("\\\\")) {
            if (!one.isBlank()) {
                values.add(one.strip());
            }
        }
        return values;
    }

    /**
     * A connection of the archive's own to a configured destination, over TLS when the archive's port speaks it, with
     * {@code timeoutMillis} to connect and for every read.
     */
    static Socket connect(DicomTls tls, InetSocketAddress address, int timeoutMillis) throws IOException {
        Socket socket = tls == null ? new Socket() : tls.clientSocket();
        try {
            socket.connect(new InetSocketAddress(address.getHostString(), address.getPort()), timeoutMillis);
            socket.setSoTimeout(timeoutMillis);
            socket.setTcpNoDelay(true);
            return socket;
        } catch (IOException e) {
            socket.close();
            throw e;
        }
    }

    /**
     * The archive as the requestor of an association of its own: a C-MOVE's to its destination, or a Storage
     * Commitment report's to the modality that asked.
     */
    static final class OutgoingAssociation {

        private final PduInput in;
        private final PduOutput out;
        private final AssociationAccept accept;
        private final List<PresentationContext> proposed;
        private final MessageChannel channel;

        private OutgoingAssociation(PduInput in, PduOutput out, AssociationAccept accept,
                List<PresentationContext> proposed) {
            this.in = in;
            this.out = out;
            this.accept = accept;
            this.proposed = proposed;
            this.channel = new MessageChannel(in, out, id -> accept.accepted(id) != null, 65536);
        }

        /** Associates, or returns {@code null} when the destination refuses. */
        static OutgoingAssociation open(Socket socket, String callingAe, String calledAe,
                List<PresentationContext> contexts, int maxPduLength) throws IOException, ProtocolException {
            return open(socket, callingAe, calledAe, contexts, maxPduLength, List.of());
        }

        /** Associates asking for {@code roles} (SCP/SCU role selection), or {@code null} when the peer refuses. */
        static OutgoingAssociation open(Socket socket, String callingAe, String calledAe,
                List<PresentationContext> contexts, int maxPduLength, List<RoleSelection> roles)
                throws IOException, ProtocolException {
            PduInput in = new PduInput(new BufferedInputStream(socket.getInputStream(), 65536), Math.max(
                    maxPduLength, 65536));
            BufferedOutputStream wire = new BufferedOutputStream(socket.getOutputStream(), 65536);
            new PduOutput(wire, 0, maxPduLength).write(Pdu.ASSOCIATE_RQ, AssociationCodec.encodeRequest(
                    new AssociationRequest(calledAe, callingAe, AssociationRequest.DICOM_APPLICATION_CONTEXT,
                            contexts, maxPduLength, Uids.IMPLEMENTATION_CLASS_UID, Uids.IMPLEMENTATION_VERSION,
                            roles)));
            Pdu answer = in.read();
            if (answer == null || answer.type() != Pdu.ASSOCIATE_AC) {
                return null;
            }
            AssociationAccept accept = AssociationCodec.decodeAccept(answer.body());
            in.limit(maxPduLength);
            return new OutgoingAssociation(in, new PduOutput(wire, accept.maxPduLength(), maxPduLength), accept,
                    contexts);
        }

        int store(StoredInstance instance, int messageId, String originator, int originatorMessageId)
                throws IOException, ProtocolException {
            int contextId = -1;
            for (PresentationContext context : proposed) {
                if (context.abstractSyntax().equals(instance.sopClassUid())
                        && context.transferSyntaxes().get(0).equals(instance.transferSyntaxUid())
                        && accept.accepted(context.id()) != null) {
                    contextId = context.id();
                }
            }
            if (contextId < 0) {
                return -1;
            }
            out.command(contextId, storeRequest(instance, messageId, originator, originatorMessageId).encode());
            out.dataSet(contextId, instance.dataSet());
            MessageChannel.Next next = channel.nextCommand();
            if (!(next instanceof MessageChannel.Command response)) {
                throw new ProtocolException(ProtocolException.UNEXPECTED_PDU, "the destination ended the association");
            }
            return CommandSet.decode(response.commandSet()).uint16Or(CommandSet.STATUS, -1);
        }

        /** The context the peer accepted for {@code abstractSyntax}, or {@code null}. */
        PresentationContextResult accepted(String abstractSyntax) {
            for (PresentationContext context : proposed) {
                PresentationContextResult result = accept.accepted(context.id());
                if (context.abstractSyntax().equals(abstractSyntax) && result != null) {
                    return result;
                }
            }
            return null;
        }

        /** Whether the peer agreed that the archive acts as SCP of {@code sopClass}. */
        boolean grantsScpRole(String sopClass) {
            return accept.roleSelections().stream().anyMatch(role -> role.sopClass().equals(sopClass) && role.scp());
        }

        /** Sends a command with its data set on {@code contextId} and returns the response's status. */
        int request(int contextId, byte[] command, byte[] dataSet) throws IOException, ProtocolException {
            out.command(contextId, command);
            out.dataSet(contextId, new java.io.ByteArrayInputStream(dataSet));
            MessageChannel.Next next = channel.nextCommand();
            if (!(next instanceof MessageChannel.Command response)) {
                throw new ProtocolException(ProtocolException.UNEXPECTED_PDU, "the peer ended the association");
            }
            return CommandSet.decode(response.commandSet()).uint16Or(CommandSet.STATUS, -1);
        }

        void release() throws IOException, ProtocolException {
            out.release(Pdu.RELEASE_RQ);
            Pdu answer = in.read();
            if (answer != null && answer.type() != Pdu.RELEASE_RP) {
                throw new ProtocolException(ProtocolException.UNEXPECTED_PDU, Pdu.name(answer.type())
                        + " where an A-RELEASE-RP was due");
            }
        }
    }
}
