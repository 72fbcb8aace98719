package org.panacea.dicom.dimse;

import java.io.BufferedInputStream;
import java.io.BufferedOutputStream;
import java.io.IOException;
import java.net.Socket;
import java.net.SocketTimeoutException;
import java.util.ArrayList;
import java.util.EnumSet;
import java.util.List;
import java.util.Set;
import java.util.concurrent.atomic.AtomicInteger;

import org.panacea.api.security.Caller;
import org.panacea.api.security.CallerAuthentication;
import org.panacea.api.security.Role;
import org.panacea.dicom.net.AssociationAccept;
import org.panacea.dicom.net.AssociationCodec;
import org.panacea.dicom.net.AssociationReject;
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
 * Serves one incoming connection as the association acceptor (PS3.8 state machine, acceptor side): waits for the
 * A-ASSOCIATE-RQ (ARTIM), checks the called AE title, the calling AE title with the peer's address against the
 * configuration, and the number of associations; negotiates presentation contexts by what the peer may do; then
 * hands the association's messages to the {@link ServiceClassProvider} until the peer releases or aborts. Any
 * protocol error aborts the association with the reason, and is logged with the AE title (never patient data).
 */
final class AssociationAcceptor implements Runnable {

    private static final Logger LOG = LoggerFactory.getLogger(AssociationAcceptor.class);
    /** The A-ASSOCIATE-RQ may be larger than a P-DATA PDU when a peer proposes many contexts. */
    private static final int MIN_REQUEST_LENGTH = 65536;
    private static final int MAX_COMMAND_LENGTH = 65536;

    /** What the acceptor needs from the service, fixed for one configuration. */
    record Settings(String aeTitle, PeerTable peers, int maxAssociations, int maxPduLength, int artimMillis,
            int idleMillis) {
    }

    private final Socket socket;
    private final Settings settings;
    private final AtomicInteger active;
    private final NetworkAudit audit;
    private final CallerAuthentication callers;
    private final ServiceClassProvider provider;

    AssociationAcceptor(Socket socket, Settings settings, AtomicInteger active, NetworkAudit audit,
            CallerAuthentication callers, ServiceClassProvider provider) {
        this.socket = socket;
        this.settings = settings;
        this.active = active;
        this.audit = audit;
        this.callers = callers;
        this.provider = provider;
    }

    @Override
    public void run() {
        String address = socket.getInetAddress().getHostAddress();
        boolean counted = active.incrementAndGet() <= settings.maxAssociations();
        String callingAe = null;
        try (Socket connection = socket) {
            connection.setSoTimeout(settings.artimMillis());
            connection.setTcpNoDelay(true);
            PduInput in = new PduInput(new BufferedInputStream(connection.getInputStream(), 65536),
                    Math.max(settings.maxPduLength(), MIN_REQUEST_LENGTH));
            BufferedOutputStream wire = new BufferedOutputStream(connection.getOutputStream(), 65536);
            PduOutput handshake = new PduOutput(wire, 0, settings.maxPduLength());
            Pdu first;
            try {
                first = in.read();
                if (first == null) {
                    return;
                }
                if (first.type() != Pdu.ASSOCIATE_RQ) {
                    throw new ProtocolException(ProtocolException.UNEXPECTED_PDU, Pdu.name(first.type())
                            + " where an A-ASSOCIATE-RQ was due");
                }
                AssociationRequest request = AssociationCodec.decodeRequest(first.body());
                callingAe = request.callingAeTitle();
                Set<DimsePermission> permissions = settings.peers().permissions(callingAe, connection.getInetAddress());
                AssociationReject reject = null;
                String reason = null;
                if (!request.calledAeTitle().equals(settings.aeTitle())) {
                    reject = AssociationReject.calledAeNotRecognized();
                    reason = "called AE title " + request.calledAeTitle() + " is not " + settings.aeTitle();
                } else if (permissions == null) {
                    reject = AssociationReject.callingAeNotRecognized();
                    reason = "calling AE title " + callingAe + " from " + address + " is not a configured peer";
                } else if (!request.applicationContext().equals(AssociationRequest.DICOM_APPLICATION_CONTEXT)) {
                    reject = new AssociationReject(AssociationReject.PERMANENT, AssociationReject.SERVICE_USER,
                            AssociationReject.APPLICATION_CONTEXT_NOT_SUPPORTED);
                    reason = "application context " + request.applicationContext() + " is not DICOM's";
                } else if (!counted) {
                    reject = AssociationReject.localLimitExceeded();
                    reason = "already " + settings.maxAssociations() + " associations: try again later";
                }
                List<PresentationContextResult> results = new ArrayList<>();
                List<String> refusedForPermission = new ArrayList<>();
                List<RoleSelection> roles = new ArrayList<>();
                Set<String> peerScpClasses = new java.util.HashSet<>();
                if (reject == null) {
                    for (PresentationContext context : request.presentationContexts()) {
                        RoleSelection role = request.roleSelection(context.abstractSyntax());
                        boolean peerAsScp = role != null && role.scp() && Uids.storage(context.abstractSyntax())
                                && permissions.contains(DimsePermission.RETRIEVE);
                        PresentationContextResult result = negotiate(context, permissions, refusedForPermission,
                                peerAsScp);
                        results.add(result);
                        if (result.accepted() && role != null && Uids.storage(context.abstractSyntax())
                                && roles.stream().noneMatch(r -> r.sopClass().equals(role.sopClass()))) {
                            // PS3.7 D.3.3.4: the acceptor answers which of the proposed roles it agrees to.
                            roles.add(new RoleSelection(role.sopClass(), role.scu()
                                    && permissions.contains(DimsePermission.STORE), peerAsScp));
                            if (peerAsScp) {
                                peerScpClasses.add(role.sopClass());
                            }
                        }
                    }
                    if (results.stream().noneMatch(PresentationContextResult::accepted)) {
                        reject = new AssociationReject(AssociationReject.PERMANENT, AssociationReject.SERVICE_USER,
                                AssociationReject.NO_REASON);
                        reason = refusedForPermission.isEmpty() ? "no proposed presentation context is supported"
                                : callingAe + " may not " + String.join(", ", refusedForPermission)
                                        + " (its permissions: " + permissions + ")";
                    }
                }
                if (reject != null) {
                    audit.refused(callingAe, address, reason);
                    LOG.info("DICOM association from {} at {} refused: {}", callingAe, address, reason);
                    handshake.write(Pdu.ASSOCIATE_RJ, AssociationCodec.encodeReject(reject));
                    return;
                }
                AssociationAccept accept = new AssociationAccept(request.calledAeTitle(), callingAe, results,
                        settings.maxPduLength(), Uids.IMPLEMENTATION_CLASS_UID, Uids.IMPLEMENTATION_VERSION, roles);
                audit.accepted(callingAe, address, "permissions " + permissions + ", implementation "
                        + request.implementationClassUid() + " " + request.implementationVersion()
                        + (refusedForPermission.isEmpty() ? "" : "; refused: " + refusedForPermission));
                handshake.write(Pdu.ASSOCIATE_AC, AssociationCodec.encodeAccept(accept));
                Caller caller = callers.configuredPeer("dicom", callingAe, EnumSet.of(Role.CLINICIAN), address);
                PduOutput out = new PduOutput(wire, request.maxPduLength(), settings.maxPduLength());
                // Between messages the association may be idle; inside a PDU the same time-out bounds a stalled peer.
                connection.setSoTimeout(settings.idleMillis());
                in.limit(settings.maxPduLength());
                MessageChannel channel = new MessageChannel(in, out, id -> accept.accepted(id) != null,
                        MAX_COMMAND_LENGTH);
                provider.serve(new Association(callingAe, address, caller, permissions, accept,
                        Set.copyOf(peerScpClasses), channel, out));
            } catch (ProtocolException e) {
                LOG.warn("DICOM association from {} at {} aborted: {}", callingAe == null ? "?" : callingAe, address,
                        e.getMessage());
                handshake.abort(e.abortReason());
            } catch (MessageChannel.ProtocolViolation e) {
                LOG.warn("DICOM association from {} at {} aborted: {}", callingAe == null ? "?" : callingAe, address,
                        e.getMessage());
                handshake.abort(e.protocolError().abortReason());
            } catch (SocketTimeoutException e) {
                LOG.warn("DICOM association from {} at {} aborted: the peer was silent for too long",
                        callingAe == null ? "?" : callingAe, address);
                handshake.abort(ProtocolException.NOT_SPECIFIED);
            }
        } catch (IOException e) {
            LOG.info("DICOM connection from {} at {} ended: {}", callingAe == null ? "?" : callingAe, address,
                    e.getMessage());
        } catch (RuntimeException e) {
            LOG.error("DICOM association from {} at {} failed", callingAe == null ? "?" : callingAe, address, e);
        } finally {
            active.decrementAndGet();
        }
    }

    /** Accepts a context the peer may use, with the first transfer syntax it proposes that this side takes. */
    private static PresentationContextResult negotiate(PresentationContext context, Set<DimsePermission> permissions,
            List<String> refusedForPermission, boolean peerAsScp) {
        String sopClass = context.abstractSyntax();
        List<String> supported;
        DimsePermission needed;
        if (sopClass.equals(Uids.VERIFICATION)) {
            supported = Uids.UNCOMPRESSED;
            needed = null;
        } else if (Uids.storage(sopClass)) {
            supported = Uids.STORAGE_TRANSFER_SYNTAXES;
            // the peer stores to the archive, or (role selection, C-GET) receives from it
            needed = peerAsScp ? DimsePermission.RETRIEVE : DimsePermission.STORE;
        } else if (sopClass.equals(Uids.STORAGE_COMMITMENT)) {
            supported = Uids.UNCOMPRESSED;
            needed = DimsePermission.STORE;
        } else if (sopClass.equals(Uids.PATIENT_ROOT_FIND) || sopClass.equals(Uids.STUDY_ROOT_FIND)) {
            supported = Uids.UNCOMPRESSED;
            needed = DimsePermission.QUERY;
        } else if (java.util.List.of(Uids.PATIENT_ROOT_MOVE, Uids.STUDY_ROOT_MOVE, Uids.PATIENT_ROOT_GET,
                Uids.STUDY_ROOT_GET).contains(sopClass)) {
            supported = Uids.UNCOMPRESSED;
            needed = DimsePermission.RETRIEVE;
        } else {
            return new PresentationContextResult(context.id(), PresentationContextResult.ABSTRACT_SYNTAX_NOT_SUPPORTED,
                    "", sopClass);
        }
        if (needed != null && !permissions.contains(needed)) {
            String what = needed.name().toLowerCase(java.util.Locale.ROOT);
            if (!refusedForPermission.contains(what)) {
                refusedForPermission.add(what);
            }
            return new PresentationContextResult(context.id(), PresentationContextResult.USER_REJECTION, "", sopClass);
        }
        for (String proposed : context.transferSyntaxes()) {
            if (supported.contains(proposed)) {
                return new PresentationContextResult(context.id(), PresentationContextResult.ACCEPTANCE, proposed,
                        sopClass);
            }
        }
        return new PresentationContextResult(context.id(), PresentationContextResult.TRANSFER_SYNTAXES_NOT_SUPPORTED,
                "", sopClass);
    }
}
