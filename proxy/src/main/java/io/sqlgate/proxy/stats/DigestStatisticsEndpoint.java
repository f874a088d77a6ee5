package io.sqlgate.proxy.stats;

import io.micronaut.http.HttpStatus;
import io.micronaut.management.endpoint.annotation.Endpoint;
import io.micronaut.management.endpoint.annotation.Read;
import io.micronaut.management.endpoint.annotation.Selector;
import io.sqlgate.http.ApiException;

import java.util.List;

/**
 * {@code GET /stats/digests}: every digest kept ({@link DigestStatistics}), the costliest first. A management
 * endpoint of the proxy, which only the trusted host and the cluster's monitoring reach (README "Statement digests").
 */
@Endpoint(id = "stats", defaultSensitive = false)
public final class DigestStatisticsEndpoint {
    private final DigestStatistics statistics;

    DigestStatisticsEndpoint(DigestStatistics statistics) {
        this.statistics = statistics;
    }

    @Read
    public List<DigestStatistics.DigestFigures> read(@Selector String name) {
        if (!"digests".equals(name)) {
            throw new ApiException(HttpStatus.NOT_FOUND, "NOT_FOUND", "No statistics named " + name + "; GET /stats/digests");
        }
        return statistics.byTotalTime();
    }
}
