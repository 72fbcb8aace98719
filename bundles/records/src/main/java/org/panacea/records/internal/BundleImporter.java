package org.panacea.records.internal;

import java.net.URLDecoder;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

import javax.persistence.EntityManager;

import org.panacea.api.audit.AuditAction;
import org.panacea.api.records.BundleOutcome;
import org.panacea.api.records.InvalidResourceException;
import org.panacea.api.records.ResourceType;
import org.panacea.api.records.ValidationIssue;
import org.panacea.api.security.AccessPolicy;
import org.panacea.api.security.Caller;
import org.panacea.api.security.Operation;
import org.panacea.records.internal.ResourceStore.Draft;
import org.panacea.records.internal.care.CareRelationshipAccess;
import org.panacea.records.internal.care.CareScope;
import org.panacea.records.internal.fhir.FhirJson;
import org.panacea.records.internal.fhir.SearchParameters;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import com.fasterxml.jackson.databind.node.TextNode;

/**
 * Stores a FHIR {@code transaction} or {@code collection} Bundle all-or-nothing, in one database transaction:
 * <ol>
 * <li>every entry gets its Panacea id first, so {@code urn:uuid:} references between entries can be rewritten to
 * {@code Type/id};</li>
 * <li>conditional references ({@code Organization?identifier=system|value}) are resolved against the bundle's own
 * entries, then the stored records (by blind index), and otherwise a minimal resource holding that identifier is
 * created and reported; like {@code ifNoneExist}, they are searches, so the caller must be allowed to search their
 * type before any of them is looked up;</li>
 * <li>modelled types are validated like any single write (an issue names the entry); other types are kept as
 * opaque, encrypted FHIR JSON linked to their patient, and listed in the outcome — nothing is dropped.</li>
 * </ol>
 */
final class BundleImporter {

    /** A bundle is one patient's history or a batch from an interface engine, not a database dump. */
    static final int MAX_ENTRIES = 20_000;

    private static final Pattern CONDITIONAL = Pattern.compile("([A-Z][A-Za-z]+)\\?identifier=(.+)");
    private static final Pattern TYPE_AND_ID = Pattern.compile("([A-Z][A-Za-z]+)/([A-Za-z0-9\\-.]{1,64})");
    /** Tags a resource created only to satisfy a conditional reference, so people can complete it later. */
    static final String CREATED_BY_CONDITION_TAG = "created-by-conditional-reference";
    static final String TAG_SYSTEM = "https://panacea.org/fhir/CodeSystem/record-tags";

    private final AccessPolicy policy;
    private final ResourceStore store;
    private final Caller caller;
    private final CareRelationshipAccess care;

    /** An import for {@code caller}, checked against {@code policy} and written through {@code store}. */
    BundleImporter(AccessPolicy policy, ResourceStore store, CareRelationshipAccess care, Caller caller) {
        this.care = care;
        this.policy = policy;
        this.store = store;
        this.caller = caller;
    }

    /** One entry of the bundle, as planned before anything is written. */
    private static final class Entry {
        final int index;
        final String fullUrl;
        final ObjectNode resource;
        final String type;
        final boolean modelled;
        final boolean update;
        final String ifNoneExist;
        final long ifMatch;
        String id;
        boolean reused;

        Entry(int index, String fullUrl, ObjectNode resource, String type, boolean update, String ifNoneExist,
                long ifMatch, String id) {
            this.index = index;
            this.fullUrl = fullUrl;
            this.resource = resource;
            this.type = type;
            this.modelled = ResourceType.fromFhirName(type).isPresent();
            this.update = update;
            this.ifNoneExist = ifNoneExist;
            this.ifMatch = ifMatch;
            this.id = id;
        }

        String where() {
            return "Bundle.entry[" + index + "]";
        }

        String reference() {
            return type + "/" + id;
        }
    }

    BundleOutcome importBundle(ObjectNode bundle) {
        if (!"Bundle".equals(bundle.path("resourceType").asText())) {
            throw ResourceStore.invalid("resourceType", "POST /fhir takes a Bundle, was '"
                    + bundle.path("resourceType").asText("(none)") + "'");
        }
        String bundleType = bundle.path("type").asText("");
        if (!bundleType.equals("transaction") && !bundleType.equals("collection")) {
            throw ResourceStore.invalid("Bundle.type", "'" + bundleType + "' is not accepted: send a "
                    + "transaction or collection Bundle, which Panacea stores all-or-nothing");
        }
        JsonNode entryNodes = bundle.path("entry");
        if (!entryNodes.isArray() || entryNodes.isEmpty()) {
            throw ResourceStore.invalid("Bundle.entry", "is empty: nothing to store");
        }
        if (entryNodes.size() > MAX_ENTRIES) {
            throw new FhirJson.LimitExceededException("Bundle.entry", "has " + entryNodes.size() + " entries, over "
                    + "the limit of " + MAX_ENTRIES + " entries per Bundle; split it");
        }
        List<Entry> entries = plan(entryNodes, bundleType.equals("transaction"));
        Set<String> typesCreated = new LinkedHashSet<>();
        Set<String> typesUpdated = new LinkedHashSet<>();
        for (Entry entry : entries) {
            (entry.update ? typesUpdated : typesCreated).add(entry.type);
        }
        // Conditional references may create Organizations, Practitioners or Locations: permission is checked for
        // those when they are found to be needed.
        for (String type : typesCreated) {
            policy.require(caller, Operation.CREATE, type);
        }
        for (String type : typesUpdated) {
            policy.require(caller, Operation.UPDATE, type);
        }
        // Resolving a conditional reference or ifNoneExist is a search: it tells whether a resource with that
        // identifier exists. Only a caller who may search the type gets that far, and the check comes before any
        // lookup, so a caller who may not (an admin and patients' MRNs) gets the same denial whether or not a match
        // exists, and it is audited.
        for (String type : searchedTypes(entries)) {
            policy.require(caller, Operation.SEARCH, type);
        }

        Map<String, String> stored = new LinkedHashMap<>();
        List<String> keptOpaque = new ArrayList<>();
        List<String> createdByCondition = new ArrayList<>();
        List<Draft> drafts = new ArrayList<>();
        store.inTransaction(caller, drafts, AuditAction.CREATE, em -> {
            Map<String, String> references = new HashMap<>();
            resolveIfNoneExist(em, entries);
            for (Entry entry : entries) {
                if (entry.fullUrl != null) {
                    references.put(entry.fullUrl, entry.reference());
                }
            }
            Map<String, String> conditional = new HashMap<>();
            List<Entry> stubs = new ArrayList<>();
            for (Entry entry : entries) {
                if (!entry.reused) {
                    rewrite(entry.resource, entry.where() + ".resource", references, conditional, entries, stubs, em);
                }
            }
            Set<String> pendingPatients = new HashSet<>();
            List<Entry> all = new ArrayList<>(stubs);
            all.addAll(entries);
            for (Entry entry : all) {
                if (entry.type.equals("Patient") && !entry.reused) {
                    pendingPatients.add(entry.id);
                }
            }
            // Patients this bundle registers have no chart yet to be related to; any other chart it writes into needs
            // a care relationship (or a break-glass grant), as a single write does.
            Set<String> registeredHere = new HashSet<>();
            for (Entry entry : all) {
                if (entry.type.equals("Patient") && !entry.reused && !entry.update) {
                    registeredHere.add(entry.id);
                }
            }
            CareScope scope = care.scope(em, caller);
            for (Entry entry : all) {
                if (entry.reused) {
                    stored.put(key(entry), entry.reference());
                    continue;
                }
                Draft draft;
                try {
                    draft = store.prepare(entry.type, entry.id, entry.resource, entry.modelled, caller,
                            AuditAction.CREATE);
                    // A new patient has no chart to be related to yet, but a token limited to its launch patient
                    // opens no other chart, new ones included.
                    if (draft.patientId() != null && (!registeredHere.contains(draft.patientId())
                            || caller.limitedToPatient())) {
                        care.require(caller, scope, draft.patientId(), entry.type, entry.id);
                    }
                    store.write(em, draft, entry.update ? existingRow(em, entry) : null, pendingPatients);
                } catch (InvalidResourceException e) {
                    throw located(entry, e);
                }
                drafts.add(draft);
                if (entry.index >= 0) {
                    stored.put(key(entry), entry.reference());
                } else {
                    createdByCondition.add(entry.reference());
                }
                if (!entry.modelled) {
                    keptOpaque.add(entry.reference());
                }
            }
            return null;
        });
        return new BundleOutcome(stored, keptOpaque, createdByCondition);
    }

    /**
     * The types the import will look up by identifier: those of conditional creates ({@code ifNoneExist}) and of
     * conditional references ({@code Type?identifier=...}) anywhere in the entries, in order of appearance.
     */
    private static Set<String> searchedTypes(List<Entry> entries) {
        Set<String> types = new LinkedHashSet<>();
        for (Entry entry : entries) {
            if (entry.ifNoneExist != null && !entry.update) {
                types.add(entry.type);
            }
        }
        for (Entry entry : entries) {
            conditionalTypes(entry.resource, types);
        }
        return types;
    }

    private static void conditionalTypes(JsonNode node, Set<String> types) {
        if (node instanceof ObjectNode object) {
            JsonNode reference = object.get("reference");
            if (reference != null && reference.isTextual()) {
                Matcher matcher = CONDITIONAL.matcher(reference.asText());
                if (matcher.matches()) {
                    types.add(matcher.group(1));
                }
            }
        }
        if (node.isContainerNode()) {
            for (JsonNode child : node) {
                conditionalTypes(child, types);
            }
        }
    }

    private static String key(Entry entry) {
        return entry.fullUrl != null ? entry.fullUrl : "entry[" + entry.index + "]";
    }

    private List<Entry> plan(JsonNode entryNodes, boolean transaction) {
        List<Entry> entries = new ArrayList<>(entryNodes.size());
        Set<String> fullUrls = new HashSet<>();
        List<ValidationIssue> issues = new ArrayList<>();
        for (int i = 0; i < entryNodes.size(); i++) {
            JsonNode node = entryNodes.get(i);
            String where = "Bundle.entry[" + i + "]";
            JsonNode resource = node.get("resource");
            if (!(resource instanceof ObjectNode object)) {
                issues.add(new ValidationIssue(where + ".resource", "is missing: every entry must carry a resource"));
                continue;
            }
            String type = object.path("resourceType").asText("");
            if (!type.matches("[A-Z][A-Za-z]{1,63}")) {
                issues.add(new ValidationIssue(where + ".resource.resourceType", "is missing or not a FHIR type name"));
                continue;
            }
            String fullUrl = node.path("fullUrl").asText(null);
            if (fullUrl != null && !fullUrls.add(fullUrl)) {
                issues.add(new ValidationIssue(where + ".fullUrl", "repeats the fullUrl of an earlier entry"));
            }
            String method = transaction ? node.path("request").path("method").asText("POST") : "POST";
            boolean update = false;
            String id = store.newId();
            long ifMatch = -1;
            if (method.equals("PUT")) {
                Matcher target = TYPE_AND_ID.matcher(node.path("request").path("url").asText(""));
                if (!target.matches() || !target.group(1).equals(type)) {
                    issues.add(new ValidationIssue(where + ".request.url", "a PUT must name " + type + "/{id}"));
                    continue;
                }
                ifMatch = version(node.path("request").path("ifMatch").asText(""));
                if (ifMatch < 0) {
                    issues.add(new ValidationIssue(where + ".request.ifMatch", "is required for a PUT: the version "
                            + "the change was made on, as W/\"n\", so a concurrent change is never overwritten"));
                    continue;
                }
                update = true;
                id = target.group(2);
            } else if (!method.equals("POST")) {
                issues.add(new ValidationIssue(where + ".request.method", "'" + method + "' is not supported in an "
                        + "import: use POST (create) or PUT (update)"));
                continue;
            }
            String ifNoneExist = transaction ? node.path("request").path("ifNoneExist").asText(null) : null;
            entries.add(new Entry(i, fullUrl, object, type, update, ifNoneExist, ifMatch, id));
        }
        if (!issues.isEmpty()) {
            throw new InvalidResourceException(issues);
        }
        return entries;
    }

    private static long version(String ifMatch) {
        Matcher matcher = Pattern.compile("(W/)?\"?(\\d+)\"?").matcher(ifMatch.strip());
        return matcher.matches() ? Long.parseLong(matcher.group(2)) : -1;
    }

    private org.panacea.records.internal.store.ResourceRow existingRow(EntityManager em, Entry entry) {
        var row = em.find(org.panacea.records.internal.store.ResourceRow.class, entry.id);
        if (row == null || !row.resourceType().equals(entry.type)) {
            throw located(entry, ResourceStore.invalid(entry.type + ".id", entry.reference()
                    + " does not exist; create it with POST"));
        }
        if (row.versionId() != entry.ifMatch) {
            throw new org.panacea.api.records.VersionConflictException(entry.type, entry.id, entry.ifMatch,
                    row.versionId());
        }
        return row;
    }

    /** Conditional creates: an entry whose {@code ifNoneExist} matches a stored resource is not created again. */
    private void resolveIfNoneExist(EntityManager em, List<Entry> entries) {
        for (Entry entry : entries) {
            if (entry.ifNoneExist == null || entry.update) {
                continue;
            }
            String query = decode(entry.ifNoneExist);
            if (!query.startsWith("identifier=")) {
                throw located(entry, ResourceStore.invalid("request.ifNoneExist", "only identifier=system|value "
                        + "is supported, was '" + entry.ifNoneExist + "'"));
            }
            Optional<String> existing = store.findByIdentifier(em, entry.type, query.substring("identifier=".length()));
            if (existing.isPresent()) {
                entry.id = existing.get();
                entry.reused = true;
            }
        }
    }

    /**
     * Rewrites every {@code reference} under {@code node}: fullUrls of entries to {@code Type/id}, conditional
     * references to the resource they find (or create).
     */
    private void rewrite(JsonNode node, String path, Map<String, String> references, Map<String, String> conditional,
            List<Entry> entries, List<Entry> stubs, EntityManager em) {
        if (node instanceof ObjectNode object) {
            JsonNode reference = object.get("reference");
            if (reference != null && reference.isTextual()) {
                String target = reference.asText();
                String mapped = references.get(target);
                if (mapped == null && target.startsWith("urn:uuid:")) {
                    throw ResourceStore.invalid(path + ".reference", "'" + target + "' is not the fullUrl of any "
                            + "entry in this Bundle");
                }
                if (mapped == null) {
                    Matcher matcher = CONDITIONAL.matcher(target);
                    if (matcher.matches()) {
                        mapped = conditional.computeIfAbsent(target, key -> resolveConditional(matcher.group(1),
                                decode(matcher.group(2)), entries, stubs, em));
                    } else if (target.contains("?")) {
                        throw ResourceStore.invalid(path + ".reference", "'" + target + "': only conditional "
                                + "references by identifier (Type?identifier=system|value) can be resolved");
                    }
                }
                if (mapped != null) {
                    object.set("reference", TextNode.valueOf(mapped));
                }
            }
            object.fields().forEachRemaining(field -> {
                if (!field.getKey().equals("reference")) {
                    rewrite(field.getValue(), path + "." + field.getKey(), references, conditional, entries, stubs, em);
                }
            });
        } else if (node instanceof ArrayNode array) {
            for (int i = 0; i < array.size(); i++) {
                rewrite(array.get(i), path + "[" + i + "]", references, conditional, entries, stubs, em);
            }
        }
    }

    private String resolveConditional(String type, String identifier, List<Entry> entries, List<Entry> stubs,
            EntityManager em) {
        for (Entry entry : entries) {
            if (entry.type.equals(type)) {
                Set<String> held = new HashSet<>();
                SearchParameters.identifiers(entry.resource, held);
                if (held.contains(identifier)) {
                    return entry.reference();
                }
            }
        }
        Optional<String> stored = store.findByIdentifier(em, type, identifier);
        if (stored.isPresent()) {
            return type + "/" + stored.get();
        }
        policy.require(caller, Operation.CREATE, type);
        int bar = identifier.indexOf('|');
        ObjectNode stub = FhirJson.MAPPER.createObjectNode();
        stub.put("resourceType", type);
        stub.putObject("meta").putArray("tag").addObject().put("system", TAG_SYSTEM)
                .put("code", CREATED_BY_CONDITION_TAG)
                .put("display", "created to satisfy a conditional reference; complete it from the source system");
        ObjectNode id = stub.putArray("identifier").addObject();
        if (bar > 0) {
            id.put("system", identifier.substring(0, bar));
        }
        id.put("value", bar >= 0 ? identifier.substring(bar + 1) : identifier);
        Entry entry = new Entry(-1 - stubs.size(), null, stub, type, false, null, -1, store.newId());
        stubs.add(entry);
        return entry.reference();
    }

    private static String decode(String text) {
        return text.contains("%") ? URLDecoder.decode(text.replace("+", "%2B"), StandardCharsets.UTF_8) : text;
    }

    private static InvalidResourceException located(Entry entry, InvalidResourceException e) {
        String prefix = entry.index >= 0 ? entry.where() + ".resource." : "conditional reference to a new "
                + entry.type + ": ";
        List<ValidationIssue> issues = new ArrayList<>();
        for (ValidationIssue issue : e.issues()) {
            issues.add(new ValidationIssue(prefix + issue.path(), issue.message()));
        }
        return new InvalidResourceException(issues);
    }
}
