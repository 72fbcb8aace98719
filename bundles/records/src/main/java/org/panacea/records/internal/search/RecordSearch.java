package org.panacea.records.internal.search;

import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.HashMap;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeSet;
import java.util.UUID;
import java.util.concurrent.atomic.AtomicLong;

import javax.persistence.EntityManager;
import javax.persistence.TypedQuery;

import org.panacea.api.audit.AuditAction;
import org.panacea.api.audit.AuditOutcome;
import org.panacea.api.records.ResourceDeletedException;
import org.panacea.api.records.ResourceNotFoundException;
import org.panacea.api.records.StoredResource;
import org.panacea.api.security.AccessPolicy;
import org.panacea.api.security.Caller;
import org.panacea.api.security.Operation;
import org.panacea.records.internal.RecordAudit;
import org.panacea.records.internal.ResourceStore;
import org.panacea.records.internal.Transactions;
import org.panacea.records.internal.care.CareRelationshipAccess;
import org.panacea.records.internal.care.CareScope;
import org.panacea.records.internal.fhir.DateBuckets;
import org.panacea.records.internal.fhir.FhirJson;
import org.panacea.records.internal.fhir.QuantityBuckets;
import org.panacea.records.internal.fhir.ValueParameters;
import org.panacea.records.internal.search.SearchRequest.Criterion;
import org.panacea.records.internal.search.SearchRequest.DateValue;
import org.panacea.records.internal.search.SearchRequest.Dates;
import org.panacea.records.internal.search.SearchRequest.Ids;
import org.panacea.records.internal.search.SearchRequest.Include;
import org.panacea.records.internal.search.SearchRequest.LastUpdated;
import org.panacea.records.internal.search.SearchRequest.Patients;
import org.panacea.records.internal.search.SearchRequest.Quantities;
import org.panacea.records.internal.search.SearchRequest.QuantityValue;
import org.panacea.records.internal.search.SearchRequest.Summary;
import org.panacea.records.internal.search.SearchRequest.Tokens;
import org.panacea.records.internal.store.ResourceRow;

import com.fasterxml.jackson.databind.JsonNode;

/**
 * Runs FHIR searches on the blind index. Every condition is an index lookup: tokens and references by their keyed
 * token, dates and quantities by the tokens of the buckets that cover the range ({@link DateBuckets},
 * {@link QuantityBuckets}), {@code _id}, {@code patient} and {@code _lastUpdated} by clear columns. Only resources in
 * a boundary bucket (a range that starts or ends inside an hour, or a quantity's finest bucket) are opened to be
 * compared exactly; otherwise a search opens the page it returns and what it includes, nothing else. Sorting by a
 * date opens every match, so it is refused above {@link #SORT_CAP} matches.
 * <p>
 * The ordered ids of a search with more than one page are kept in the database ({@link SearchCursorRow}) for
 * {@link #KEPT_FOR}: each match appears once however the data changes meanwhile, and any node serves the next page.
 * Each patient whose data a page holds gets one SEARCH entry in the audit trail.
 */
public final class RecordSearch {

    /** Most matches kept for paging; the total still counts them all. */
    public static final int MAX_KEPT = 10_000;
    /** Most matches a search may sort by their content (each must be opened). */
    public static final int SORT_CAP = 1_000;
    /** Most resources {@code _include} and {@code _revinclude} add to one page. */
    public static final int INCLUDE_CAP = 1_000;
    /** How long a search can be paged through. */
    public static final Duration KEPT_FOR = Duration.ofMinutes(30);

    private final Transactions transactions;
    private final ResourceStore resources;
    private final AccessPolicy policy;
    private final RecordAudit audit;
    private final Clock clock;
    private final CareRelationshipAccess care;
    private final AtomicLong nextCleanup = new AtomicLong();

    public RecordSearch(Transactions transactions, ResourceStore resources, AccessPolicy policy,
            CareRelationshipAccess care, RecordAudit audit, Clock clock) {
        this.care = care;
        this.transactions = transactions;
        this.resources = resources;
        this.policy = policy;
        this.audit = audit;
        this.clock = clock;
    }

    // ------------------------------------------------------------------------------------------------ the search

    /** Runs {@code request} for {@code caller}; the first page, and a cursor when there are more. */
    public SearchPage search(Caller caller, SearchRequest request) {
        return search(caller, request, true);
    }

    /**
     * Runs {@code request}; a cursor for the next pages is kept only when {@code keepForPaging} (HTTP clients follow
     * next links; callers of the Java API page by offset and need none).
     */
    public SearchPage search(Caller caller, SearchRequest request, boolean keepForPaging) {
        String type = request.type();
        policy.require(caller, Operation.SEARCH, type);
        for (Include include : request.revincludes()) {
            policy.require(caller, Operation.SEARCH, include.sourceType());
        }
        Query query = query(request);
        SearchPage page = transactions.read(em -> {
            // Only the charts the caller may open are searched: totals and pages then count nothing else.
            CareScope scope = care.scope(em, caller);
            refuseOtherPatientsNamed(caller, scope, request);
            scope.restriction("r").ifPresent(restriction -> {
                query.where.append(restriction.jpql());
                query.parameters.putAll(restriction.parameters());
            });
            List<String> ids = query.empty ? List.of() : query.ids(em, MAX_KEPT + 1);
            boolean capped = ids.size() > MAX_KEPT;
            if (capped) {
                ids = ids.subList(0, MAX_KEPT);
            }
            Map<String, Opened> opened = new HashMap<>();
            ids = verify(em, query, ids, opened);
            long total = capped ? query.count(em) : ids.size();
            if (request.summary() == Summary.COUNT) {
                audit(caller, type, describe(request), List.of(), List.of(), total);
                return new SearchPage(total, List.of(), List.of(), null, Summary.COUNT, Set.of(), List.of());
            }
            if (request.sortsByContent()) {
                if (ids.size() > SORT_CAP) {
                    throw new IllegalArgumentException("_sort=" + request.sort() + " orders matches by their content, "
                            + "which is sealed: Panacea sorts at most " + SORT_CAP + " matches that way, and this "
                            + "search has " + total + "; narrow it, or sort by _lastUpdated");
                }
                ids = sortByContent(em, request, ids, opened);
            }
            int from = Math.min(request.offset(), ids.size());
            int to = Math.min(from + request.count(), ids.size());
            List<Opened> matches = open(em, ids.subList(from, to), opened);
            SearchPage.Next next = null;
            if (to < ids.size() && keepForPaging) {
                next = new SearchPage.Next(keep(caller, type, total, ids, options(request)), to, request.count());
            }
            return finish(em, caller, scope, request, describe(request), matches, total, next, capped);
        });
        return page;
    }

    /**
     * A search by a caller limited to its token's launch patient that names another patient ({@code patient},
     * {@code subject}, a Patient's {@code _id}) is refused (403, audited) rather than answered empty: the app asked
     * for a chart its token cannot open, and an empty Bundle would read as "this patient has none". Searches naming
     * no patient are limited to the launch patient's resources by the scope's restriction.
     */
    private void refuseOtherPatientsNamed(Caller caller, CareScope scope, SearchRequest request) {
        if (scope.launchPatient().isEmpty()) {
            return;
        }
        for (SearchRequest.Criterion criterion : request.criteria()) {
            List<String> named = criterion instanceof SearchRequest.Patients patients ? patients.patientIds()
                    : criterion instanceof SearchRequest.Ids ids && "Patient".equals(request.type()) ? ids.ids()
                            : List.of();
            for (String patient : named) {
                care.require(caller, scope, patient, request.type(), "");
            }
        }
    }

    /** A page of a kept search, {@code count} matches from {@code offset}. */
    public SearchPage page(Caller caller, String searchId, int offset, int count) {
        return transactions.read(em -> {
            SearchCursorRow cursor = em.find(SearchCursorRow.class, searchId);
            // Another user's search is as absent as one that never was: ids are not a capability to share.
            if (cursor == null || !cursor.owner().equals(caller.name())) {
                throw new IllegalArgumentException("there is no search " + searchId + " of yours to page through "
                        + "(searches are kept for " + KEPT_FOR.toMinutes() + " minutes); run it again");
            }
            if (cursor.expiresMillis() < clock.millis()) {
                throw new SearchExpiredException(searchId);
            }
            boolean everything = cursor.options().startsWith(EVERYTHING);
            policy.require(caller, everything ? Operation.READ : Operation.SEARCH, cursor.resourceType());
            SearchRequest options = everything
                    ? new SearchRequest(cursor.resourceType(), List.of(), List.of(), List.of(), null, count, 0,
                            Summary.NONE, Set.of())
                    : SearchRequest.parse(cursor.resourceType(), parseOptions(cursor.options()), count, clock.instant());
            List<String> ids = em.createQuery("SELECT m.resourceId FROM SearchMatchRow m WHERE m.searchId = :id AND "
                    + "m.position >= :from AND m.position < :to ORDER BY m.position", String.class)
                    .setParameter("id", searchId).setParameter("from", offset).setParameter("to", offset + count)
                    .getResultList();
            List<Opened> matches = open(em, ids, new HashMap<>());
            if (everything) {
                matches = readable(caller, matches);
            }
            // A grant may have expired (or a care team ended) since the search was kept.
            CareScope scope = care.scope(em, caller);
            matches = matches.stream().filter(match -> scope.permits(match.row.patientId())).toList();
            SearchPage.Next next = offset + count < cursor.kept()
                    ? new SearchPage.Next(searchId, offset + count, count) : null;
            return finish(em, caller, scope, options, (everything ? "$everything" : cursor.resourceType()
                    + " search") + " page at " + offset, matches, cursor.total(), next, false);
        });
    }

    private static final String EVERYTHING = "$everything";

    /**
     * {@code Patient/{id}/$everything}: the patient and every resource of theirs the caller may read, written at or
     * after {@code since} when given, paged; one audit entry per page.
     */
    public SearchPage everything(Caller caller, String patientId, Instant since, int count) {
        policy.require(caller, Operation.READ, "Patient");
        return transactions.read(em -> {
            ResourceRow patient = em.find(ResourceRow.class, patientId);
            if (patient == null || !patient.resourceType().equals("Patient")) {
                resources.deletion(em, "Patient", patientId).ifPresent(deleted -> {
                    throw new ResourceDeletedException("Patient", patientId, deleted.versionId());
                });
                throw new ResourceNotFoundException("Patient", patientId);
            }
            CareScope scope = care.scope(em, caller);
            care.require(caller, scope, patientId, "Patient", patientId);
            List<Object[]> rows = em.createQuery("SELECT r.id, r.resourceType FROM ResourceRow r WHERE r.patientId = "
                    + ":patient AND r.lastUpdatedMillis >= :since ORDER BY r.resourceType, r.lastUpdatedMillis DESC, "
                    + "r.id", Object[].class).setParameter("patient", patientId)
                    .setParameter("since", since == null ? Long.MIN_VALUE : since.toEpochMilli())
                    .setMaxResults(MAX_KEPT + 1).getResultList();
            List<String> ids = new ArrayList<>();
            Set<String> refused = new TreeSet<>();
            // The patient first, then their record type by type; types the caller may not read are left out.
            if (since == null || patient.lastUpdatedMillis() >= since.toEpochMilli()) {
                ids.add(patientId);
            }
            for (Object[] row : rows) {
                String type = (String) row[1];
                if (row[0].equals(patientId)) {
                    continue;
                }
                if (policy.decide(caller, Operation.READ, type).allowed()) {
                    ids.add((String) row[0]);
                } else {
                    refused.add(type);
                }
            }
            boolean capped = ids.size() > MAX_KEPT;
            if (capped) {
                ids = ids.subList(0, MAX_KEPT);
            }
            int to = Math.min(count, ids.size());
            List<Opened> matches = open(em, ids.subList(0, to), new HashMap<>());
            SearchPage.Next next = to < ids.size()
                    ? new SearchPage.Next(keep(caller, "Patient", ids.size(), ids, EVERYTHING), to, count) : null;
            SearchRequest plain = new SearchRequest("Patient", List.of(), List.of(), List.of(), null, count, 0,
                    Summary.NONE, Set.of());
            SearchPage page = finish(em, caller, scope, plain, "$everything", matches, ids.size(), next, capped);
            if (!refused.isEmpty()) {
                List<String> warnings = new ArrayList<>(page.warnings());
                warnings.add("left out, as your role may not read them: " + String.join(", ", refused));
                page = new SearchPage(page.total(), page.matches(), page.included(), page.next(), page.summary(),
                        page.elements(), warnings);
            }
            return page;
        });
    }

    private List<Opened> readable(Caller caller, List<Opened> matches) {
        return matches.stream().filter(match -> policy.decide(caller, Operation.READ, match.row.resourceType())
                .allowed()).toList();
    }

    /** Adds includes, audits the page and puts it together. */
    private SearchPage finish(EntityManager em, Caller caller, CareScope scope, SearchRequest request,
            String described, List<Opened> matches, long total, SearchPage.Next next, boolean capped) {
        List<String> warnings = new ArrayList<>();
        if (capped) {
            warnings.add("only the first " + MAX_KEPT + " of " + total + " matches can be paged through; narrow "
                    + "the search to see the rest");
        }
        if (!scope.launchPatient().isEmpty()) {
            warnings.add("only the chart of Patient/" + scope.launchPatient() + ", the launch patient your token's "
                    + "patient/ scopes are limited to, was searched");
        } else if (scope.restriction("r").isPresent()) {
            warnings.add("only the charts of patients you have a care relationship with (or a break-glass grant "
                    + "for) were searched");
        }
        // Includes follow references out of the caller's charts: what they reach is filtered the same way.
        List<Opened> included = include(em, caller, request, matches, warnings).stream()
                .filter(opened -> scope.permits(opened.row.patientId())).toList();
        List<String> patients = new ArrayList<>();
        matches.forEach(match -> patients.add(match.row.patientId()));
        included.forEach(opened -> patients.add(opened.row.patientId()));
        care.auditBreakGlass(caller, scope, patients, request.type(), "");
        audit(caller, request.type(), described, matches, included, total);
        return new SearchPage(total, matches.stream().map(Opened::resource).toList(),
                included.stream().map(Opened::resource).toList(), next, request.summary(), request.elements(),
                warnings);
    }

    // ------------------------------------------------------------------------------------------- query building

    /** A resource row and what it opened to. */
    record Opened(ResourceRow row, StoredResource resource) {

        JsonNode json() {
            return FhirJson.parseObject(resource.json());
        }
    }

    /** The JPQL of a search, its parameters, and the conditions whose boundary buckets need exact comparison. */
    private final class Query {
        final StringBuilder where = new StringBuilder(" FROM ResourceRow r WHERE r.resourceType = :type");
        final Map<String, Object> parameters = new LinkedHashMap<>();
        final List<Boundary> boundaries = new ArrayList<>();
        String order = " ORDER BY r.lastUpdatedMillis DESC, r.id";
        boolean empty;
        int n;

        /** Positive token conditions, looked up in the token index before the main query (see {@link #tokens}). */
        final List<TokenLookup> lookups = new ArrayList<>();
        private String resolvedWhere;

        List<String> ids(EntityManager em, int max) {
            TypedQuery<String> ids = em.createQuery("SELECT r.id" + where(em) + order, String.class);
            parameters.forEach(ids::setParameter);
            return ids.setMaxResults(max).getResultList();
        }

        long count(EntityManager em) {
            TypedQuery<Long> count = em.createQuery("SELECT COUNT(r)" + where(em), Long.class);
            parameters.forEach(count::setParameter);
            return count.getSingleResult();
        }

        /**
         * The WHERE clause, each positive token condition resolved once per query: its resources are read from the
         * token index ({@code RESOURCE_TYPE, PARAM, TOKEN}) and, when there are at most {@value RecordSearch#LOOKUP_CAP}, become
         * an {@code r.id IN} list the primary key answers. A correlated {@code EXISTS} instead makes the database
         * walk every resource of the type and probe the tokens of each (Derby does): an identifier search over ten
         * thousand patients took a hundred times a read. Above the cap the {@code EXISTS} stays.
         */
        String where(EntityManager em) {
            if (resolvedWhere != null) {
                return resolvedWhere;
            }
            String resolved = where.toString();
            for (int i = 0; i < lookups.size(); i++) {
                TokenLookup lookup = lookups.get(i);
                // One equality lookup per token, each a seek on all three columns of the index. With "t.token IN
                // (...)" Derby seeks on type and parameter only, unless its statistics make it probe the list, and
                // then reads every token of the parameter: a one-day birth date search over 100,000 patients read
                // half a million rows (55 ms against 1.5 ms over 10,000).
                java.util.Set<String> found = new java.util.LinkedHashSet<>();
                for (String token : lookup.tokens()) {
                    found.addAll(em.createQuery("SELECT t.resourceId FROM SearchTokenRow t WHERE t.resourceType = "
                            + ":type AND t.param = :param AND t.token = :token", String.class)
                            .setParameter("type", parameters.get("type")).setParameter("param", lookup.param())
                            .setParameter("token", token).setMaxResults(LOOKUP_CAP + 1 - found.size())
                            .getResultList());
                    if (found.size() > LOOKUP_CAP) {
                        break;
                    }
                }
                List<String> candidates = List.copyOf(found);
                String condition;
                if (candidates.size() > LOOKUP_CAP) {
                    condition = " AND EXISTS (SELECT t FROM SearchTokenRow t WHERE t.resourceId = r.id AND t.param = "
                            + parameter(lookup.param()) + " AND t.token IN " + parameter(lookup.tokens()) + ")";
                } else {
                    // No id is empty: an empty IN list is not JPQL, and this one matches nothing.
                    condition = " AND r.id IN " + parameter(candidates.isEmpty() ? List.of("") : candidates);
                }
                resolved = resolved.replace(lookup.marker(), condition);
            }
            resolvedWhere = resolved;
            return resolved;
        }

        String parameter(Object value) {
            String name = "v" + n++;
            parameters.put(name, value);
            return ":" + name;
        }

        void tokens(String type, String param, List<String> values, boolean negated) {
            List<String> keyed = values.stream().map(value -> resources.token(type, param, value)).distinct().toList();
            if (!negated) {
                TokenLookup lookup = new TokenLookup("{lookup" + lookups.size() + "}", param, keyed);
                lookups.add(lookup);
                where.append(lookup.marker());
                return;
            }
            where.append(" AND NOT EXISTS (SELECT t FROM SearchTokenRow t WHERE t.resourceId = r.id AND t.param = ")
                    .append(parameter(param)).append(" AND t.token IN ").append(parameter(keyed)).append(')');
        }

        void has(String param) {
            where.append(" AND EXISTS (SELECT t FROM SearchTokenRow t WHERE t.resourceId = r.id AND t.param = ")
                    .append(parameter(param)).append(')');
        }
    }

    /** A positive token condition, resolved through the token index when the query runs. */
    private record TokenLookup(String marker, String param, List<String> tokens) {
    }

    /** The most resources a token condition turns into an id list; more keep the correlated condition. */
    static final int LOOKUP_CAP = 1_000;

    /** A condition with boundary buckets: candidates holding one of them are opened and compared exactly. */
    private record Boundary(Criterion criterion, String param, List<String> tokens) {
    }

    private Query query(SearchRequest request) {
        String type = request.type();
        Query query = new Query();
        query.parameters.put("type", type);
        Instant now = clock.instant();
        for (Criterion criterion : request.criteria()) {
            if (criterion instanceof Ids ids) {
                query.where.append(" AND r.id IN ").append(query.parameter(ids.ids()));
            } else if (criterion instanceof Patients patients) {
                query.where.append(" AND r.patientId IN ").append(query.parameter(patients.patientIds()));
            } else if (criterion instanceof Tokens tokens) {
                query.tokens(type, tokens.name(), tokens.values(), false);
            } else if (criterion instanceof LastUpdated updated) {
                List<String> alternatives = new ArrayList<>();
                for (DateValue value : updated.values()) {
                    Instant[] interval = value.interval(now);
                    // A storage time t (to the millisecond) lies within [from, to) when from <= t and t + 1 ms <= to.
                    alternatives.add("(r.lastUpdatedMillis >= " + query.parameter(ceilingMillis(interval[0]))
                            + " AND r.lastUpdatedMillis < " + query.parameter(interval[1].toEpochMilli()) + ")");
                }
                String any = "(" + String.join(" OR ", alternatives) + ")";
                query.where.append(updated.negated() ? " AND NOT " : " AND ").append(any);
            } else if (criterion instanceof Dates dates) {
                List<String> whole = new ArrayList<>();
                List<String> boundary = new ArrayList<>();
                for (DateValue value : dates.values()) {
                    Instant[] interval = value.interval(now);
                    DateBuckets.Cover cover = DateBuckets.cover(interval[0], interval[1]);
                    whole.addAll(cover.whole());
                    boundary.addAll(cover.boundary());
                }
                range(query, type, dates, dates.name(), dates.negated(), whole, boundary);
            } else if (criterion instanceof Quantities quantities) {
                List<String> whole = new ArrayList<>();
                List<String> boundary = new ArrayList<>();
                for (QuantityValue value : quantities.values()) {
                    var bounds = value.bounds();
                    QuantityBuckets.Cover cover = QuantityBuckets.cover(bounds[0], bounds[1]);
                    cover.whole().forEach(bucket -> whole.add(value.unit() + "#" + bucket));
                    cover.boundary().forEach(bucket -> boundary.add(value.unit() + "#" + bucket));
                }
                range(query, type, quantities, quantities.name(), quantities.negated(), whole, boundary);
            }
        }
        if (request.sort() != null && !request.sortsByContent()) {
            String direction = request.sort().descending() ? " DESC" : "";
            query.order = request.sort().parameter().equals("_id") ? " ORDER BY r.id" + direction
                    : " ORDER BY r.lastUpdatedMillis" + direction + ", r.id";
        }
        return query;
    }

    private static long ceilingMillis(Instant instant) {
        long millis = instant.toEpochMilli();
        return Instant.ofEpochMilli(millis).equals(instant) ? millis : millis + 1;
    }

    /** A date or quantity condition: whole buckets by token, boundary buckets by token and then exactly. */
    private void range(Query query, String type, Criterion criterion, String param, boolean negated,
            List<String> whole, List<String> boundary) {
        if (negated) {
            // Has a value, and none of it lies wholly in the excluded range (boundary values are compared exactly).
            query.has(param);
            if (!whole.isEmpty()) {
                query.tokens(type, param, whole, true);
            }
        } else {
            List<String> all = new ArrayList<>(whole);
            all.addAll(boundary);
            if (all.isEmpty()) {
                query.empty = true;
                return;
            }
            query.tokens(type, param, all, false);
        }
        if (!boundary.isEmpty()) {
            query.boundaries.add(new Boundary(criterion, param, boundary.stream()
                    .map(bucket -> resources.token(type, param, bucket)).distinct().toList()));
        }
    }

    /** Drops the candidates in boundary buckets that do not match exactly; what it opened is kept in {@code opened}. */
    private List<String> verify(EntityManager em, Query query, List<String> ids, Map<String, Opened> opened) {
        if (query.boundaries.isEmpty() || ids.isEmpty()) {
            return ids;
        }
        Instant now = clock.instant();
        Set<String> rejected = new HashSet<>();
        for (Boundary boundary : query.boundaries) {
            List<String> candidates = em.createQuery("SELECT DISTINCT t.resourceId FROM SearchTokenRow t WHERE "
                    + "t.resourceType = :type AND t.param = :param AND t.token IN :tokens", String.class)
                    .setParameter("type", query.parameters.get("type")).setParameter("param", boundary.param)
                    .setParameter("tokens", boundary.tokens).getResultList();
            Set<String> inResult = new HashSet<>(ids);
            List<String> toCheck = candidates.stream().filter(inResult::contains).toList();
            for (Opened candidate : open(em, toCheck, opened)) {
                if (!matchesExactly(boundary.criterion, candidate.json(), now)) {
                    rejected.add(candidate.row.id());
                }
            }
        }
        return rejected.isEmpty() ? ids : ids.stream().filter(id -> !rejected.contains(id)).toList();
    }

    private static boolean matchesExactly(Criterion criterion, JsonNode resource, Instant now) {
        String type = resource.path("resourceType").asText();
        if (criterion instanceof Dates dates) {
            var parameter = ValueParameters.find(type, dates.name()).orElseThrow();
            List<DateBuckets.Range> values = ValueParameters.dates(parameter, resource);
            if (dates.negated()) {
                return !values.isEmpty() && values.stream().allMatch(value -> dates.values().stream()
                        .allMatch(wanted -> wanted.matches(value, now)));
            }
            return values.stream().anyMatch(value -> dates.values().stream()
                    .anyMatch(wanted -> wanted.matches(value, now)));
        }
        Quantities quantities = (Quantities) criterion;
        var parameter = ValueParameters.find(type, quantities.name()).orElseThrow();
        List<ValueParameters.Quantity> values = ValueParameters.quantities(parameter, resource);
        if (quantities.negated()) {
            return !values.isEmpty() && values.stream().allMatch(value -> quantities.values().stream()
                    .allMatch(wanted -> !value.units().contains(wanted.unit()) || wanted.matches(value.value())));
        }
        return values.stream().anyMatch(value -> quantities.values().stream()
                .anyMatch(wanted -> value.units().contains(wanted.unit()) && wanted.matches(value.value())));
    }

    /** Orders {@code ids} by the sort parameter's earliest (ascending) or latest (descending) value; none last. */
    private List<String> sortByContent(EntityManager em, SearchRequest request, List<String> ids,
            Map<String, Opened> opened) {
        var parameter = ValueParameters.find(request.type(), request.sort().parameter()).orElseThrow();
        boolean descending = request.sort().descending();
        Map<String, Instant> keys = new HashMap<>();
        for (Opened match : open(em, ids, opened)) {
            ValueParameters.dates(parameter, match.json()).stream().map(DateBuckets.Range::start)
                    .reduce((a, b) -> descending ? (a.isAfter(b) ? a : b) : (a.isBefore(b) ? a : b))
                    .ifPresent(key -> keys.put(match.row.id(), key));
        }
        Comparator<Instant> order = descending ? Comparator.reverseOrder() : Comparator.naturalOrder();
        List<String> sorted = new ArrayList<>(ids);
        sorted.sort(Comparator.comparing((String id) -> keys.get(id), Comparator.nullsLast(order))
                .thenComparing(Comparator.naturalOrder()));
        return sorted;
    }

    // -------------------------------------------------------------------------------------------------- opening

    /** The rows of {@code ids}, opened, in that order; ids no longer stored are skipped. */
    private List<Opened> open(EntityManager em, List<String> ids, Map<String, Opened> opened) {
        List<String> missing = ids.stream().filter(id -> !opened.containsKey(id)).distinct().toList();
        for (int start = 0; start < missing.size(); start += 500) {
            List<String> batch = missing.subList(start, Math.min(start + 500, missing.size()));
            for (ResourceRow row : em.createQuery("SELECT r FROM ResourceRow r WHERE r.id IN :ids", ResourceRow.class)
                    .setParameter("ids", batch).getResultList()) {
                opened.put(row.id(), new Opened(row, resources.open(em, row)));
            }
        }
        List<Opened> inOrder = new ArrayList<>(ids.size());
        for (String id : ids) {
            Opened match = opened.get(id);
            if (match != null) {
                inOrder.add(match);
            }
        }
        return inOrder;
    }

    // ------------------------------------------------------------------------------------------------- includes

    private List<Opened> include(EntityManager em, Caller caller, SearchRequest request, List<Opened> matches,
            List<String> warnings) {
        if (matches.isEmpty() || (request.includes().isEmpty() && request.revincludes().isEmpty())) {
            return List.of();
        }
        Set<String> seen = new HashSet<>();
        matches.forEach(match -> seen.add(match.row.resourceType() + "/" + match.row.id()));
        List<Opened> included = new ArrayList<>();
        for (Include include : request.includes()) {
            Map<String, Set<String>> idsByType = new LinkedHashMap<>();
            for (Opened match : matches) {
                for (String reference : references(include, match)) {
                    int slash = reference.indexOf('/');
                    String targetType = reference.substring(0, slash);
                    if (include.targetType() == null || include.targetType().equals(targetType)) {
                        idsByType.computeIfAbsent(targetType, t -> new LinkedHashSet<>())
                                .add(reference.substring(slash + 1));
                    }
                }
            }
            for (Map.Entry<String, Set<String>> targets : idsByType.entrySet()) {
                policy.require(caller, Operation.READ, targets.getKey());
                List<String> ids = new ArrayList<>(targets.getValue());
                for (Opened target : open(em, ids, new HashMap<>())) {
                    if (target.row.resourceType().equals(targets.getKey())) {
                        add(target, seen, included, warnings);
                    }
                }
            }
        }
        for (Include revinclude : request.revincludes()) {
            List<String> matchIds = matches.stream().map(match -> match.row.id()).toList();
            List<ResourceRow> referring;
            if ("Patient".equals(revinclude.targetType()) && request.type().equals("Patient")) {
                referring = em.createQuery("SELECT r FROM ResourceRow r WHERE r.resourceType = :type AND r.patientId "
                        + "IN :ids ORDER BY r.lastUpdatedMillis DESC, r.id", ResourceRow.class)
                        .setParameter("type", revinclude.sourceType()).setParameter("ids", matchIds)
                        .setMaxResults(INCLUDE_CAP + 1).getResultList();
            } else if (revinclude.targetType() == null) {
                List<String> tokens = matchIds.stream().map(id -> resources.token(revinclude.sourceType(),
                        revinclude.parameter(), request.type() + "/" + id)).toList();
                referring = em.createQuery("SELECT r FROM ResourceRow r WHERE r.resourceType = :type AND EXISTS "
                        + "(SELECT t FROM SearchTokenRow t WHERE t.resourceId = r.id AND t.param = :param AND "
                        + "t.token IN :tokens) ORDER BY r.lastUpdatedMillis DESC, r.id", ResourceRow.class)
                        .setParameter("type", revinclude.sourceType()).setParameter("param", revinclude.parameter())
                        .setParameter("tokens", tokens).setMaxResults(INCLUDE_CAP + 1).getResultList();
            } else {
                referring = List.of();
            }
            for (ResourceRow row : referring) {
                add(new Opened(row, resources.open(em, row)), seen, included, warnings);
            }
        }
        return included;
    }

    private static List<String> references(Include include, Opened match) {
        if ("Patient".equals(include.targetType()) && SearchRequestSupport.toPatient(include)) {
            return match.row.patientId() == null ? List.of() : List.of("Patient/" + match.row.patientId());
        }
        var parameter = ValueParameters.find(include.sourceType(), include.parameter()).orElseThrow();
        return ValueParameters.references(parameter, match.json());
    }

    private static void add(Opened resource, Set<String> seen, List<Opened> included, List<String> warnings) {
        if (included.size() >= INCLUDE_CAP) {
            if (warnings.stream().noneMatch(w -> w.startsWith("included resources"))) {
                warnings.add("included resources are capped at " + INCLUDE_CAP + " per page; ask for a smaller "
                        + "_count to see them all");
            }
            return;
        }
        if (seen.add(resource.row.resourceType() + "/" + resource.row.id())) {
            included.add(resource);
        }
    }

    // ----------------------------------------------------------------------------------------------- cursors

    /** Keeps the ordered ids of a search for paging; its id. */
    private String keep(Caller caller, String type, long total, List<String> ids, String options) {
        String id = UUID.randomUUID().toString();
        long now = clock.millis();
        transactions.inTransaction(em -> {
            em.persist(new SearchCursorRow(id, caller.name(), type, total, ids.size(), now + KEPT_FOR.toMillis(),
                    options));
            for (int position = 0; position < ids.size(); position++) {
                em.persist(new SearchMatchRow(id, position, ids.get(position)));
            }
            return null;
        });
        long due = nextCleanup.get();
        if (now >= due && nextCleanup.compareAndSet(due, now + 60_000)) {
            forgetExpired(now);
        }
        return id;
    }

    /** Removes searches that can no longer be paged. */
    public void forgetExpired(long nowMillis) {
        transactions.inTransaction(em -> {
            em.createQuery("DELETE FROM SearchMatchRow m WHERE m.searchId IN (SELECT c.id FROM SearchCursorRow c "
                    + "WHERE c.expiresMillis < :now)").setParameter("now", nowMillis).executeUpdate();
            em.createQuery("DELETE FROM SearchCursorRow c WHERE c.expiresMillis < :now").setParameter("now",
                    nowMillis).executeUpdate();
            return null;
        });
    }

    /** The options pages are served with: include paths, elements and summary; never a searched value. */
    private static String options(SearchRequest request) {
        List<String> options = new ArrayList<>();
        request.includes().forEach(include -> options.add("_include=" + include));
        request.revincludes().forEach(include -> options.add("_revinclude=" + include));
        if (!request.elements().isEmpty()) {
            options.add("_elements=" + String.join(",", new TreeSet<>(request.elements())));
        }
        if (request.summary() == Summary.DATA) {
            options.add("_summary=data");
        }
        return String.join("&", options);
    }

    private static Map<String, List<String>> parseOptions(String options) {
        Map<String, List<String>> parsed = new LinkedHashMap<>();
        if (!options.isEmpty()) {
            for (String option : options.split("&")) {
                int equals = option.indexOf('=');
                parsed.computeIfAbsent(option.substring(0, equals), k -> new ArrayList<>())
                        .add(option.substring(equals + 1));
            }
        }
        return parsed;
    }

    // ------------------------------------------------------------------------------------------------- audit

    private static String describe(SearchRequest request) {
        // Parameter names only: the values (a family name, a birth date) are patient data themselves.
        Set<String> names = new TreeSet<>();
        request.criteria().forEach(criterion -> names.add(criterion.name()));
        return request.type() + " search on " + names;
    }

    /** One SEARCH entry per patient whose data the page holds, so a patient's access history is complete. */
    private void audit(Caller caller, String type, String described, List<Opened> matches, List<Opened> included,
            long total) {
        Map<String, Integer> perPatient = new LinkedHashMap<>();
        for (Opened opened : matches) {
            perPatient.merge(opened.row.patientId() == null ? "" : opened.row.patientId(), 1, Integer::sum);
        }
        Map<String, Integer> includedPerPatient = new LinkedHashMap<>();
        for (Opened opened : included) {
            includedPerPatient.merge(opened.row.patientId() == null ? "" : opened.row.patientId(), 1, Integer::sum);
            perPatient.putIfAbsent(opened.row.patientId() == null ? "" : opened.row.patientId(), 0);
        }
        if (perPatient.isEmpty()) {
            audit.record(caller, AuditAction.SEARCH, type, "", "", AuditOutcome.SUCCESS, described + ": 0 of "
                    + total);
        }
        perPatient.forEach((patient, returned) -> audit.record(caller, AuditAction.SEARCH, type, "", patient,
                AuditOutcome.SUCCESS, described + ": " + returned + " returned of " + total
                        + (includedPerPatient.containsKey(patient) ? ", " + includedPerPatient.get(patient)
                                + " included" : "")));
    }
}
