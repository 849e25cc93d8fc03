package dev.anvil.gateway.traffic;

import jakarta.persistence.TypedQuery;

import java.time.Instant;
import java.util.HashMap;
import java.util.List;
import java.util.Map;

/**
 * The rows one traffic read selects: a version's unexpired samples from {@code since} and before {@code before}, in
 * the reading order (newest first: {@code createdAt}, then id, a total order). Called inside a transaction.
 */
final class TrafficRange {
    private static final String ORDER = " order by createdAt desc, id desc";
    private static final String IN_CUT = " and id <= :maxId and (createdAt > :endAt or (createdAt = :endAt and id >= :endId))";
    private static final String AFTER = " and (createdAt < :afterAt or (createdAt = :afterAt and id < :afterId))";

    private final String where;
    private final Map<String, Object> params = new HashMap<>();

    TrafficRange(String versionId, Instant since, Instant before, Instant now) {
        params.put("version", versionId);
        params.put("since", since);
        params.put("now", now);
        String where = "versionId = :version and createdAt >= :since and expiresAt > :now";
        if (before != null) {
            where += " and createdAt < :before";
            params.put("before", before);
        }
        this.where = where;
    }

    /**
     * The rows a read of at most {@code limit} takes, fixed before it starts, so that the JSON Lines form can name the
     * next page in a header before its first record. A page never ends inside one instant ({@code createdAt} is the
     * response's second, which many answers share): {@code before} = the page's oldest instant then starts the next
     * page with no row lost or repeated. Only when more than {@code limit} rows share one instant are its others
     * skipped. Rows written after the cut (higher ids) are not read, even where they sort inside it.
     */
    Cut cut(int limit) {
        TypedQuery<Object[]> query = TrafficSample.getEntityManager()
                .createQuery("select id, createdAt from TrafficSample where " + where + ORDER, Object[].class);
        params.forEach(query::setParameter);
        List<Object[]> keys = query.setMaxResults(limit + 1).getResultList();
        if (keys.isEmpty()) return Cut.EMPTY;
        int end = Math.min(limit, keys.size());
        Instant next = null;
        if (keys.size() > limit) {
            Instant beyond = createdAt(keys.get(limit));
            int whole = end;
            while (whole > 0 && createdAt(keys.get(whole - 1)).equals(beyond)) whole--;
            if (whole > 0) end = whole;
            next = createdAt(keys.get(end - 1));
        }
        long maxId = keys.subList(0, end).stream().mapToLong(TrafficRange::id).max().orElseThrow();
        return new Cut(end, createdAt(keys.get(end - 1)), id(keys.get(end - 1)), maxId, next);
    }

    /** Up to {@code size} rows of {@code cut} after the row {@code after} (null: from its first). */
    List<TrafficSample> rows(Cut cut, TrafficSample after, int size) {
        Map<String, Object> bound = new HashMap<>(params);
        bound.put("maxId", cut.maxId());
        bound.put("endAt", cut.endAt());
        bound.put("endId", cut.endId());
        String query = where + IN_CUT;
        if (after != null) {
            query += AFTER;
            bound.put("afterAt", after.createdAt);
            bound.put("afterId", after.id);
        }
        return TrafficSample.<TrafficSample>find(query + ORDER, bound).page(0, size).list();
    }

    private static Instant createdAt(Object[] key) {
        return (Instant) key[1];
    }

    private static long id(Object[] key) {
        return ((Number) key[0]).longValue();
    }

    /**
     * A read's rows: {@code rows} of them, down to the row ({@code endAt}, {@code endId}), none written after the
     * cut ({@code maxId}); {@code next} the {@code before} of the page after it, null when there is none.
     */
    record Cut(int rows, Instant endAt, long endId, long maxId, Instant next) {
        static final Cut EMPTY = new Cut(0, null, 0, 0, null);
    }
}
