# What the security groups let in, exactly: SSH and the Kubernetes API from admin ranges,
# the gatekeeper's NodePort from client ranges, three k3s ports between nodes, nothing else.

mock_provider "aws" {
  mock_data "aws_ami" {
    defaults = { id = "ami-0a1b2c3d4e5f60718" }
  }
  mock_data "aws_availability_zones" {
    defaults = { names = ["us-east-1a", "us-east-1b", "us-east-1c"] }
  }
}

variables {
  admin_cidrs  = ["203.0.113.7/32", "198.51.100.0/24"]
  client_cidrs = ["192.0.2.0/24"]
  k3s_token    = "test-token-0123456789abcdef0123456789abcdef"
}

run "planned_rules_are_exactly_the_listed_ports_and_sources" {
  command = plan

  assert {
    condition = toset([
      for r in values(local.ingress_rules) :
      format("%s %s/%d from %s", r.security_group, r.protocol, r.port, r.from_cluster ? "cluster" : r.cidr)
      ]) == toset([
      "cluster tcp/6443 from cluster",
      "cluster udp/8472 from cluster",
      "cluster tcp/10250 from cluster",
      "cluster tcp/22 from 203.0.113.7/32",
      "cluster tcp/22 from 198.51.100.0/24",
      "kube_api tcp/6443 from 203.0.113.7/32",
      "kube_api tcp/6443 from 198.51.100.0/24",
      "gatekeeper tcp/30080 from 192.0.2.0/24",
    ])
    error_message = "The planned ingress rules differ from the ones this cluster needs."
  }

  assert {
    condition     = length(aws_vpc_security_group_ingress_rule.allowed) == 8
    error_message = "Expected exactly 8 ingress rules."
  }

  assert {
    condition = alltrue([
      for r in values(aws_vpc_security_group_ingress_rule.allowed) : r.from_port == r.to_port
    ])
    error_message = "Every ingress rule must open a single port, not a range."
  }

  assert {
    condition     = aws_vpc_security_group_egress_rule.all_outbound.ip_protocol == "-1" && aws_vpc_security_group_egress_rule.all_outbound.cidr_ipv4 == "0.0.0.0/0"
    error_message = "Egress must allow all outbound IPv4 traffic."
  }
}

run "applied_rules_reference_the_right_groups" {
  command = apply

  assert {
    condition = toset([
      for r in values(aws_vpc_security_group_ingress_rule.allowed) :
      format("%s %s/%d-%d from %s", r.security_group_id, r.ip_protocol, r.from_port, r.to_port,
      r.cidr_ipv4 != null ? r.cidr_ipv4 : r.referenced_security_group_id)
      ]) == toset([
      "${aws_security_group.cluster.id} tcp/6443-6443 from ${aws_security_group.cluster.id}",
      "${aws_security_group.cluster.id} udp/8472-8472 from ${aws_security_group.cluster.id}",
      "${aws_security_group.cluster.id} tcp/10250-10250 from ${aws_security_group.cluster.id}",
      "${aws_security_group.cluster.id} tcp/22-22 from 203.0.113.7/32",
      "${aws_security_group.cluster.id} tcp/22-22 from 198.51.100.0/24",
      "${aws_security_group.kube_api.id} tcp/6443-6443 from 203.0.113.7/32",
      "${aws_security_group.kube_api.id} tcp/6443-6443 from 198.51.100.0/24",
      "${aws_security_group.gatekeeper.id} tcp/30080-30080 from 192.0.2.0/24",
    ])
    error_message = "The ingress rules, with their groups and sources, differ from the ones this cluster needs."
  }

  assert {
    condition = alltrue([
      for r in values(aws_vpc_security_group_ingress_rule.allowed) :
      (r.cidr_ipv4 == null) != (r.referenced_security_group_id == null)
    ])
    error_message = "Every ingress rule must have exactly one source: a CIDR or the cluster's own group."
  }

  assert {
    condition = alltrue([
      for r in values(aws_vpc_security_group_ingress_rule.allowed) :
      r.referenced_security_group_id == null || r.security_group_id == aws_security_group.cluster.id
    ])
    error_message = "Node-to-node rules must be self-references of the cluster group."
  }

  assert {
    condition     = aws_vpc_security_group_egress_rule.all_outbound.security_group_id == aws_security_group.cluster.id
    error_message = "The egress rule belongs to the cluster group, which every node is in."
  }

  assert {
    condition = alltrue([
      for sg in [aws_security_group.cluster, aws_security_group.kube_api, aws_security_group.gatekeeper] :
      length(sg.ingress) == 0 && length(sg.egress) == 0
    ])
    error_message = "Security groups must not carry inline rules; every rule is a separate resource."
  }

  assert {
    condition     = toset(aws_instance.server.vpc_security_group_ids) == toset([aws_security_group.cluster.id, aws_security_group.kube_api.id])
    error_message = "The server must be in the cluster and kube_api groups only."
  }

  assert {
    condition = alltrue([
      for k, i in aws_instance.agent :
      toset(i.vpc_security_group_ids) == toset([aws_security_group.cluster.id, aws_security_group.gatekeeper.id]) if local.agents[k].role == "app"
    ])
    error_message = "App agents must be in the cluster and gatekeeper groups only."
  }

  assert {
    condition = alltrue([
      for k, i in aws_instance.agent :
      toset(i.vpc_security_group_ids) == toset([aws_security_group.cluster.id]) if local.agents[k].role == "ndb-data"
    ])
    error_message = "Data-node agents must be in the cluster group only (no NodePort, no API from outside)."
  }
}

run "client_cidrs_may_open_the_gatekeeper_to_everyone" {
  command = plan

  variables {
    client_cidrs = ["0.0.0.0/0"]
  }

  assert {
    condition = toset([
      for k, r in aws_vpc_security_group_ingress_rule.allowed : r.cidr_ipv4 if r.cidr_ipv4 == "0.0.0.0/0"
    ]) == toset(["0.0.0.0/0"]) && aws_vpc_security_group_ingress_rule.allowed["gatekeeper-from-client-0.0.0.0/0"].to_port == 30080
    error_message = "0.0.0.0/0 may only appear on the gatekeeper's NodePort."
  }
}
