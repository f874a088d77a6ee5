provider "aws" {
  region = var.region

  default_tags {
    tags = merge(var.tags, {
      "Project"   = "sqlgate"
      "Cluster"   = var.name
      "ManagedBy" = "terraform"
    })
  }
}

locals {
  # What the rest of the repository fixes, which check.sh holds these to: the data nodes that
  # k8s-manifests/base/config/ndb/config.ini declares (one per data-node agent), and the
  # Kubernetes minor version of the k3s image that k8s-manifests' end-to-end test runs on.
  ndb_data_node_count = 2
  tested_k3s_minor    = "1.32"

  # The placement contract with k8s-manifests/: NDB data-node pods select this label and
  # tolerate this taint, nothing else tolerates it, so data nodes run alone on these agents.
  # Every label and taint a node gets comes from this map and nowhere else.
  ndb_data_role = {
    key    = "sqlgate.io/role"
    value  = "ndb-data"
    effect = "NoSchedule"
  }

  agent_roles = {
    app = {
      instance_type       = var.app_agent_instance_type
      count               = var.app_agent_count
      root_volume_size_gb = var.root_volume_size_gb
      node_labels         = []
      node_taints         = []
    }
    (local.ndb_data_role.value) = {
      instance_type       = var.data_agent_instance_type
      count               = var.data_agent_count
      root_volume_size_gb = var.data_agent_root_volume_size_gb
      node_labels         = ["${local.ndb_data_role.key}=${local.ndb_data_role.value}"]
      node_taints         = ["${local.ndb_data_role.key}=${local.ndb_data_role.value}:${local.ndb_data_role.effect}"]
    }
  }

  # One entry per agent instance, keyed "app-1", "ndb-data-1", ...; the index spreads each
  # role across the subnets (availability zones) in turn, so the two data nodes of an NDB
  # node group start in different zones.
  agents = merge([
    for role, spec in local.agent_roles : {
      for i in range(spec.count) : format("%s-%d", role, i + 1) => {
        role  = role
        index = i
      }
    }
  ]...)

  # Official images, by publisher account: Canonical and Debian.
  os_images = {
    "ubuntu-22.04" = {
      owner    = "099720109477"
      name     = "ubuntu/images/hvm-ssd*/ubuntu-jammy-22.04-${var.architecture == "arm64" ? "arm64" : "amd64"}-server-*"
      ssh_user = "ubuntu"
    }
    "debian-12" = {
      owner    = "136693071363"
      name     = "debian-12-${var.architecture == "arm64" ? "arm64" : "amd64"}-*"
      ssh_user = "admin"
    }
  }

  ami_id   = var.ami_id != null ? var.ami_id : data.aws_ami.node[0].id
  ssh_user = local.os_images[var.os].ssh_user

  # The k3s server's supervisor and Kubernetes API share this port.
  kube_api_port = 6443

  # The gatekeeper Service in k8s-manifests/ is a NodePort fixed at this number.
  gatekeeper_node_port = 30080
}

data "aws_ami" "node" {
  count = var.ami_id == null ? 1 : 0

  most_recent = true
  owners      = [local.os_images[var.os].owner]

  filter {
    name   = "name"
    values = [local.os_images[var.os].name]
  }

  filter {
    name   = "architecture"
    values = [var.architecture]
  }

  filter {
    name   = "virtualization-type"
    values = ["hvm"]
  }

  filter {
    name   = "root-device-type"
    values = ["ebs"]
  }
}
