# Three security groups, each for what its members serve:
#   cluster    - every node: the traffic k3s needs between nodes, SSH from admins, egress.
#   kube_api   - the server: the Kubernetes API from admins.
#   gatekeeper - the app agents: the gatekeeper's NodePort from clients.
# Every ingress rule comes from local.ingress_rules; a port that is not listed there is closed.
#
# Between nodes only three ports are needed. Pod-to-pod traffic that crosses nodes (NDB
# management 1186, data nodes on their fixed ServerPort 11860, MySQL 3306, and the tiers'
# HTTP ports) travels inside flannel's VXLAN tunnel, so the security group sees UDP 8472
# from another node, never the inner port; NetworkPolicies (enforced by k3s) filter it.
# Opening 1186, 11860 or 3306 here would only matter for pods on the host network, which
# the manifests do not use. Traffic a pod sends to another node's own address (the
# Kubernetes API, kubelets) is masqueraded to its node's address and covered by 6443 and
# 10250. Etcd (2379-2380) is not needed: a single server keeps its state in SQLite.

locals {
  cluster_internal_ports = {
    "k3s-supervisor-and-api" = { protocol = "tcp", port = local.kube_api_port, description = "k3s supervisor and Kubernetes API, agents to server" }
    "flannel-vxlan"          = { protocol = "udp", port = 8472, description = "flannel VXLAN: all pod traffic between nodes" }
    "kubelet"                = { protocol = "tcp", port = 10250, description = "kubelet: logs, exec and metrics-server" }
  }

  ingress_rules = merge(
    {
      for name, p in local.cluster_internal_ports : "cluster-${name}" => {
        security_group = "cluster"
        description    = p.description
        protocol       = p.protocol
        port           = p.port
        cidr           = null
        from_cluster   = true
      }
    },
    {
      for cidr in var.admin_cidrs : "ssh-from-admin-${cidr}" => {
        security_group = "cluster"
        description    = "SSH from an admin network"
        protocol       = "tcp"
        port           = 22
        cidr           = cidr
        from_cluster   = false
      }
    },
    {
      for cidr in var.admin_cidrs : "kube-api-from-admin-${cidr}" => {
        security_group = "kube_api"
        description    = "Kubernetes API from an admin network"
        protocol       = "tcp"
        port           = local.kube_api_port
        cidr           = cidr
        from_cluster   = false
      }
    },
    {
      for cidr in var.client_cidrs : "gatekeeper-from-client-${cidr}" => {
        security_group = "gatekeeper"
        description    = "gatekeeper NodePort from a client network"
        protocol       = "tcp"
        port           = local.gatekeeper_node_port
        cidr           = cidr
        from_cluster   = false
      }
    },
  )

  security_group_ids = {
    cluster    = aws_security_group.cluster.id
    kube_api   = aws_security_group.kube_api.id
    gatekeeper = aws_security_group.gatekeeper.id
  }
}

# Rules are separate resources below; the provider drops AWS's default allow-all egress
# from groups it creates, so a group without an egress rule sends nothing of its own.
resource "aws_security_group" "cluster" {
  name        = "${var.name}-cluster"
  description = "sqlgate k3s nodes: traffic between nodes, SSH from admins, all egress"
  vpc_id      = local.vpc_id

  tags = { Name = "${var.name}-cluster" }
}

resource "aws_security_group" "kube_api" {
  name        = "${var.name}-kube-api"
  description = "sqlgate k3s server: Kubernetes API from admins"
  vpc_id      = local.vpc_id

  tags = { Name = "${var.name}-kube-api" }
}

resource "aws_security_group" "gatekeeper" {
  name        = "${var.name}-gatekeeper"
  description = "sqlgate app agents: gatekeeper NodePort from clients"
  vpc_id      = local.vpc_id

  tags = { Name = "${var.name}-gatekeeper" }
}

resource "aws_vpc_security_group_ingress_rule" "allowed" {
  for_each = local.ingress_rules

  security_group_id            = local.security_group_ids[each.value.security_group]
  description                  = each.value.description
  ip_protocol                  = each.value.protocol
  from_port                    = each.value.port
  to_port                      = each.value.port
  cidr_ipv4                    = each.value.cidr
  referenced_security_group_id = each.value.from_cluster ? aws_security_group.cluster.id : null

  tags = { Name = "${var.name}-${each.key}" }
}

# Nodes download k3s (GitHub), pull images (registries behind CDNs with changing
# addresses), and reach package mirrors, so egress is open to every destination.
# Inside the cluster, NetworkPolicies restrict what each pod may call.
resource "aws_vpc_security_group_egress_rule" "all_outbound" {
  security_group_id = aws_security_group.cluster.id
  description       = "All outbound IPv4: k3s download, image pulls, package mirrors"
  ip_protocol       = "-1"
  cidr_ipv4         = "0.0.0.0/0"

  tags = { Name = "${var.name}-all-outbound" }
}
