package io.sqlgate.hop.wire;

import java.util.List;

/**
 * One page of the audit ledger's entries, newest first: the answer of {@code GET /audit}.
 *
 * @param entries the page's entries
 * @param next    the {@code before} of the next page, or null (absent) when this is the last
 */
public record AuditPage(List<Entry> entries, String next) {

    /**
     * One write as the ledger keeps it.
     *
     * @param id           the entry's id
     * @param recordedAt   when the proxy ran the write (ISO-8601, UTC, microseconds)
     * @param requestId    the request id every tier logged it under
     * @param keyName      the name of the key that sent it
     * @param route        the route it came by
     * @param digest       SHA-256 of the digest text
     * @param digestText   the statement with its values taken out (at most 2048 characters)
     * @param tables       the tables it names, qualified
     * @param affectedRows rows it changed
     * @param node         the node it ran on
     * @param params       its bound values as JSON, when the proxy keeps them (at most 2048 characters), or null
     */
    public record Entry(long id, String recordedAt, String requestId, String keyName, String route, String digest, String digestText,
                        List<String> tables, long affectedRows, String node, String params) {
    }
}
