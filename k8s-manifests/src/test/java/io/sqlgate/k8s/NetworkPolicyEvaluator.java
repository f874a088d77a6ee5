package io.sqlgate.k8s;

import io.fabric8.kubernetes.api.model.IntOrString;
import io.fabric8.kubernetes.api.model.networking.v1.NetworkPolicy;
import io.fabric8.kubernetes.api.model.networking.v1.NetworkPolicyEgressRule;
import io.fabric8.kubernetes.api.model.networking.v1.NetworkPolicyIngressRule;
import io.fabric8.kubernetes.api.model.networking.v1.NetworkPolicyPeer;
import io.fabric8.kubernetes.api.model.networking.v1.NetworkPolicyPort;
import java.util.List;
import java.util.Map;
import java.util.Objects;

/**
 * Answers "can pod A open a connection to pod B on port P" under a set of NetworkPolicies, with the
 * semantics of networking.k8s.io/v1: a pod selected by a policy of type Ingress (Egress) is isolated in
 * that direction and admits only what some rule of such a policy allows; a connection needs both the
 * source's egress and the destination's ingress. Traffic from the destination's own node (kubelet probes)
 * is outside this model: the API and k3s's controller always admit it.
 */
final class NetworkPolicyEvaluator {

    /** A pod, or a client outside the cluster ({@code outsideCluster}: only ipBlock peers or "anyone" match it). */
    record Endpoint(String name, String namespace, Map<String, String> namespaceLabels,
                    Map<String, String> podLabels, Map<String, Integer> namedPorts, boolean outsideCluster) {

        static Endpoint pod(String name, String namespace, Map<String, String> namespaceLabels,
                            Map<String, String> podLabels, Map<String, Integer> namedPorts) {
            return new Endpoint(name, namespace, namespaceLabels, podLabels, namedPorts, false);
        }

        static Endpoint outside(String name) {
            return new Endpoint(name, "", Map.of(), Map.of(), Map.of(), true);
        }
    }

    private final List<NetworkPolicy> policies;

    NetworkPolicyEvaluator(List<NetworkPolicy> policies) {
        this.policies = List.copyOf(policies);
    }

    boolean canReach(Endpoint from, Endpoint to, int port, String protocol) {
        return egressAllows(from, to, port, protocol) && ingressAllows(to, from, port, protocol);
    }

    boolean isolatedForIngress(Endpoint pod) {
        return !selecting(pod, "Ingress").isEmpty();
    }

    boolean isolatedForEgress(Endpoint pod) {
        return !selecting(pod, "Egress").isEmpty();
    }

    private boolean egressAllows(Endpoint from, Endpoint to, int port, String protocol) {
        if (from.outsideCluster()) {
            return true;
        }
        List<NetworkPolicy> isolating = selecting(from, "Egress");
        if (isolating.isEmpty()) {
            return true;
        }
        for (NetworkPolicy policy : isolating) {
            for (NetworkPolicyEgressRule rule : nonNull(policy.getSpec().getEgress())) {
                if (peersMatch(rule.getTo(), policy, to) && portsMatch(rule.getPorts(), to, port, protocol)) {
                    return true;
                }
            }
        }
        return false;
    }

    private boolean ingressAllows(Endpoint to, Endpoint from, int port, String protocol) {
        if (to.outsideCluster()) {
            return true;
        }
        List<NetworkPolicy> isolating = selecting(to, "Ingress");
        if (isolating.isEmpty()) {
            return true;
        }
        for (NetworkPolicy policy : isolating) {
            for (NetworkPolicyIngressRule rule : nonNull(policy.getSpec().getIngress())) {
                if (peersMatch(rule.getFrom(), policy, from) && portsMatch(rule.getPorts(), to, port, protocol)) {
                    return true;
                }
            }
        }
        return false;
    }

    /** Policies in the pod's namespace whose podSelector selects it and whose types include {@code type}. */
    List<NetworkPolicy> selecting(Endpoint pod, String type) {
        if (pod.outsideCluster()) {
            return List.of();
        }
        return policies.stream()
                .filter(policy -> pod.namespace().equals(policy.getMetadata().getNamespace()))
                .filter(policy -> Selectors.matches(policy.getSpec().getPodSelector(), pod.podLabels()))
                .filter(policy -> types(policy).contains(type))
                .toList();
    }

    /** policyTypes, or when absent: Ingress always, Egress if the policy has egress rules. */
    static List<String> types(NetworkPolicy policy) {
        List<String> declared = policy.getSpec().getPolicyTypes();
        if (declared != null && !declared.isEmpty()) {
            return declared;
        }
        return policy.getSpec().getEgress() == null || policy.getSpec().getEgress().isEmpty()
                ? List.of("Ingress") : List.of("Ingress", "Egress");
    }

    /** An absent or empty peer list admits every peer. */
    private static boolean peersMatch(List<NetworkPolicyPeer> peers, NetworkPolicy policy, Endpoint other) {
        if (peers == null || peers.isEmpty()) {
            return true;
        }
        return peers.stream().anyMatch(peer -> peerMatches(peer, policy, other));
    }

    private static boolean peerMatches(NetworkPolicyPeer peer, NetworkPolicy policy, Endpoint other) {
        if (peer.getIpBlock() != null) {
            // Pod addresses are not modelled: an ipBlock stands for addresses outside the cluster.
            return other.outsideCluster();
        }
        if (other.outsideCluster()) {
            return false;
        }
        boolean namespaceOk = peer.getNamespaceSelector() == null
                ? other.namespace().equals(policy.getMetadata().getNamespace())
                : Selectors.matches(peer.getNamespaceSelector(), other.namespaceLabels());
        boolean podOk = peer.getPodSelector() == null
                || Selectors.matches(peer.getPodSelector(), other.podLabels());
        return namespaceOk && podOk;
    }

    /** An absent or empty port list admits every port; a named port is resolved on the destination pod. */
    private static boolean portsMatch(List<NetworkPolicyPort> ports, Endpoint destination, int port,
                                      String protocol) {
        if (ports == null || ports.isEmpty()) {
            return true;
        }
        for (NetworkPolicyPort allowed : ports) {
            String allowedProtocol = Objects.requireNonNullElse(allowed.getProtocol(), "TCP");
            if (!allowedProtocol.equals(protocol)) {
                continue;
            }
            IntOrString value = allowed.getPort();
            if (value == null) {
                return true;
            }
            Integer number = value.getIntVal() != null
                    ? value.getIntVal()
                    : destination.namedPorts().get(value.getStrVal());
            if (number == null) {
                continue;
            }
            int last = allowed.getEndPort() != null ? allowed.getEndPort() : number;
            if (port >= number && port <= last) {
                return true;
            }
        }
        return false;
    }

    private static <T> List<T> nonNull(List<T> list) {
        return list == null ? List.of() : list;
    }
}
