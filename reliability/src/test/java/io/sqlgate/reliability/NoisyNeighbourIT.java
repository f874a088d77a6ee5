package io.sqlgate.reliability;

import io.sqlgate.testkit.Chain;
import io.sqlgate.testkit.Chain.Tier;
import io.sqlgate.testkit.LocalCluster;
import org.junit.jupiter.api.Test;

import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * {@code bin/fault-suite --noisy}, smaller: a victim key's point reads alone, then while an attacker key sends
 * results over the size limit, statements slow to parse, statements that run to the time limit and half-sent
 * requests. The victim sees no error; the attacker only refusals that name the cost, each defence having answered;
 * no tier's memory passes the Kubernetes limit. The latency bound here is 10x the victim's own baseline, not the
 * fault suite's 3x: fifteen seconds on a machine that may be building leave too few answers for a tighter p99.
 */
class NoisyNeighbourIT {

    @Test
    void anAttackerKeyGetsRefusalsAndTheVictimKeyKeepsItsAnswers() throws Exception {
        LocalCluster cluster = LocalCluster.fromEnvironment();
        cluster.requireRunning();
        NoisyNeighbour.seed(cluster);
        // the shipped limits, but for the request rate: the attacker ignores Retry-After, as bin/fault-suite --noisy
        try (Chain chain = Chain.on(cluster).name("noisy").jvmOptions(ReliabilityCommand.TIER_JVM_OPTIONS).environment(Map.of("GATEKEEPER_RATE_LIMIT_REQUESTS_PER_SECOND", "100000",
                "GATEKEEPER_RATE_LIMIT_BURST", "100000")).start()) {
            Map<String, Long> pids = new TreeMap<>();
            for (Tier tier : Tier.values()) {
                pids.put(tier.module(), chain.tier(tier).pid());
            }
            NoisyNeighbour.Result result = new NoisyNeighbour(new NoisyNeighbour.Settings("127.0.0.1", chain.port(Tier.GATEKEEPER),
                    chain.readerKey(), chain.writerKey(), 2, 2, List.of(NoisyNeighbour.Attack.values()), Duration.ofSeconds(5),
                    Duration.ofSeconds(10), Duration.ofSeconds(15), Duration.ofSeconds(30), 10, 384 * 1024)).run(pids);

            assertEquals(List.of(), result.problems(), result.report());
            assertTrue(result.latencies(false).length > 100 && result.latencies(true).length > 100, result.report());
            Map<String, Integer> huge = result.attacker().get("huge result");
            assertTrue(huge.containsKey("422 RESULT_TOO_LARGE"), result.report());
            assertTrue(result.attacker().get("time limit").containsKey("429 STATEMENT_TIME_EXHAUSTED"), result.report());
            assertTrue(result.attacker().get("slow to parse").containsKey("400 SQL_TOO_COMPLEX"), result.report());
            // Each half-sent request held until the attack ends, or refused from its headers (the attacker key is told
            // to wait and does not): none answered as if its body had come.
            Map<String, Integer> halfSent = result.attacker().get("half sent");
            assertEquals(2 * 50, halfSent.values().stream().mapToInt(Integer::intValue).sum(), result.report());
            assertTrue(halfSent.keySet().stream().allMatch(label -> label.equals("held, unanswered")
                    || label.equals("refused before its body: 429")), result.report());
        }
    }
}
