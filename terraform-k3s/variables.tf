# ---------------------------------------------------------------------------
# Naming and placement
# ---------------------------------------------------------------------------

variable "name" {
  type        = string
  description = "Name of the cluster: prefix of every resource name and Name tag, and of the kubeconfig file the outputs fetch."
  default     = "sqlgate"
  nullable    = false

  validation {
    condition     = can(regex("^[a-z][a-z0-9-]{1,30}$", var.name))
    error_message = "name must be 2-31 characters: lower-case letters, digits and '-', starting with a letter."
  }
}

variable "region" {
  type        = string
  description = "AWS region to build the cluster in."
  default     = "us-east-1"
  nullable    = false

  validation {
    condition     = can(regex("^[a-z]{2}(-gov|-iso[a-z]*)?-[a-z]+-[0-9]+$", var.region))
    error_message = "region must be an AWS region name such as us-east-1 or eu-west-1."
  }
}

variable "tags" {
  type        = map(string)
  description = "Extra tags for every resource (merged into the provider's default tags)."
  default     = {}
  nullable    = false

  validation {
    condition = alltrue([
      for k, v in var.tags : length(k) >= 1 && length(k) <= 128 && length(v) <= 256 && !startswith(lower(k), "aws:")
    ])
    error_message = "tags keys must be 1-128 characters and must not start with \"aws:\" (reserved by AWS); values at most 256 characters."
  }
}

# ---------------------------------------------------------------------------
# Network: a new VPC, or an existing VPC and its subnets
# ---------------------------------------------------------------------------

variable "vpc_cidr" {
  type        = string
  description = "IPv4 range of the VPC built here (ignored when vpc_id is set). Each public subnet takes a /(prefix+4) slice of it."
  default     = "10.20.0.0/16"
  nullable    = false

  validation {
    condition = (
      can(cidrnetmask(var.vpc_cidr))
      && try(cidrsubnet(var.vpc_cidr, 0, 0) == var.vpc_cidr, false)
      && try(tonumber(split("/", var.vpc_cidr)[1]) >= 16 && tonumber(split("/", var.vpc_cidr)[1]) <= 24, false)
    )
    error_message = "vpc_cidr must be an IPv4 network address in CIDR form with a prefix from /16 to /24, such as 10.20.0.0/16."
  }
}

variable "az_count" {
  type        = number
  description = "Number of availability zones (one public subnet each) for the VPC built here; nodes are spread across them in turn. Ignored when vpc_id is set."
  default     = 2
  nullable    = false

  validation {
    condition     = var.az_count >= 1 && var.az_count <= 6 && floor(var.az_count) == var.az_count
    error_message = "az_count must be a whole number from 1 to 6."
  }
}

variable "vpc_id" {
  type        = string
  description = "ID of an existing VPC to build the cluster in. Null (the default) builds a new VPC. When set, subnet_ids must be set too."
  default     = null

  validation {
    condition     = var.vpc_id == null ? true : can(regex("^vpc-[0-9a-f]{8,17}$", var.vpc_id))
    error_message = "vpc_id must look like vpc-0123456789abcdef0."
  }
}

variable "subnet_ids" {
  type        = list(string)
  description = "Existing public subnets (in vpc_id, routed to an internet gateway) to place the nodes in, in turn. Required with vpc_id, empty otherwise."
  default     = []
  nullable    = false

  validation {
    condition     = alltrue([for id in var.subnet_ids : can(regex("^subnet-[0-9a-f]{8,17}$", id))])
    error_message = "Every subnet_ids entry must look like subnet-0123456789abcdef0."
  }

  validation {
    condition     = (var.vpc_id == null) == (length(var.subnet_ids) == 0)
    error_message = "Set vpc_id and subnet_ids together (an existing network), or neither (a new VPC)."
  }
}

# ---------------------------------------------------------------------------
# Who may reach the cluster
# ---------------------------------------------------------------------------

variable "admin_cidrs" {
  type        = list(string)
  description = "IPv4 ranges allowed to reach SSH (22) on every node and the Kubernetes API (6443) on the server. Use your own address, e.g. [\"203.0.113.7/32\"]."
  nullable    = false

  validation {
    condition     = length(var.admin_cidrs) > 0
    error_message = "admin_cidrs must list at least one range, or nobody can fetch the kubeconfig."
  }

  validation {
    condition     = alltrue([for c in var.admin_cidrs : can(cidrnetmask(c)) && try(cidrsubnet(c, 0, 0) == c, false)])
    error_message = "Every admin_cidrs entry must be an IPv4 network address in CIDR form, such as 203.0.113.7/32 or 198.51.100.0/24."
  }

  validation {
    condition     = !contains(var.admin_cidrs, "0.0.0.0/0")
    error_message = "admin_cidrs must not contain 0.0.0.0/0: SSH and the Kubernetes API stay closed to the internet."
  }
}

variable "client_cidrs" {
  type        = list(string)
  description = "IPv4 ranges allowed to reach the gatekeeper's NodePort (30080) on the app agents. [\"0.0.0.0/0\"] makes the gatekeeper public, which is what it is built for."
  nullable    = false

  validation {
    condition     = length(var.client_cidrs) > 0
    error_message = "client_cidrs must list at least one range."
  }

  validation {
    condition     = alltrue([for c in var.client_cidrs : can(cidrnetmask(c)) && try(cidrsubnet(c, 0, 0) == c, false)])
    error_message = "Every client_cidrs entry must be an IPv4 network address in CIDR form, such as 0.0.0.0/0 or 198.51.100.0/24."
  }
}

# ---------------------------------------------------------------------------
# Instances
# ---------------------------------------------------------------------------

variable "os" {
  type        = string
  description = "Operating system of every node, looked up from its publisher's official AMIs: \"ubuntu-22.04\" (Canonical) or \"debian-12\" (Debian). Also picks the SSH user (ubuntu or admin)."
  default     = "ubuntu-22.04"
  nullable    = false

  validation {
    condition     = contains(["ubuntu-22.04", "debian-12"], var.os)
    error_message = "os must be \"ubuntu-22.04\" or \"debian-12\"."
  }
}

variable "architecture" {
  type        = string
  description = "CPU architecture of the AMI. Only \"x86_64\": sqlgate's images are built for linux/amd64 alone (docs/images.md), so an arm64 node could not run them. The instance types must match it (t3, m6i, r6i, ...)."
  default     = "x86_64"
  nullable    = false

  validation {
    condition     = var.architecture == "x86_64"
    error_message = "architecture must be \"x86_64\": sqlgate's images are built for linux/amd64 only, so arm64 nodes could not run them."
  }
}

variable "ami_id" {
  type        = string
  description = "AMI for every node instead of the looked-up one (it must be the distribution named by os, for the SSH user and the bootstrap script). Null looks up the newest official image."
  default     = null

  validation {
    condition     = var.ami_id == null ? true : can(regex("^ami-[0-9a-f]{8,17}$", var.ami_id))
    error_message = "ami_id must look like ami-0123456789abcdef0."
  }
}

variable "key_name" {
  type        = string
  description = "Name of an existing EC2 key pair for SSH to the nodes (needed to fetch the kubeconfig over SSH). Null launches the nodes without a key."
  default     = null

  validation {
    condition     = var.key_name == null ? true : can(regex("^[ -~]{1,255}$", var.key_name))
    error_message = "key_name must be 1-255 printable ASCII characters."
  }
}

variable "server_instance_type" {
  type        = string
  description = "Instance type of the k3s server (control plane; also runs ordinary pods)."
  default     = "t3.medium"
  nullable    = false

  validation {
    condition     = can(regex("^[a-z][a-z0-9-]*\\.[a-z0-9]+$", var.server_instance_type))
    error_message = "server_instance_type must be an EC2 instance type such as t3.medium."
  }
}

variable "app_agent_instance_type" {
  type        = string
  description = "Instance type of the app agents (gatekeeper, trusted host, proxy, NDB management and SQL nodes, benchmark)."
  default     = "t3.large"
  nullable    = false

  validation {
    condition     = can(regex("^[a-z][a-z0-9-]*\\.[a-z0-9]+$", var.app_agent_instance_type))
    error_message = "app_agent_instance_type must be an EC2 instance type such as t3.large."
  }
}

variable "data_agent_instance_type" {
  type        = string
  description = "Instance type of the NDB data-node agents (memory sized for DataMemory plus the data node's own overhead)."
  default     = "t3.large"
  nullable    = false

  validation {
    condition     = can(regex("^[a-z][a-z0-9-]*\\.[a-z0-9]+$", var.data_agent_instance_type))
    error_message = "data_agent_instance_type must be an EC2 instance type such as t3.large."
  }
}

variable "app_agent_count" {
  type        = number
  description = "Number of app agents. At least one: the gatekeeper's NodePort is reached through them."
  default     = 2
  nullable    = false

  validation {
    condition     = var.app_agent_count >= 1 && var.app_agent_count <= 20 && floor(var.app_agent_count) == var.app_agent_count
    error_message = "app_agent_count must be a whole number from 1 to 20."
  }
}

variable "data_agent_count" {
  type        = number
  description = "Number of NDB data-node agents, one data node each: as many as k8s-manifests/base/config/ndb/config.ini declares data nodes (local.ndb_data_node_count, 2: one node group of NoOfReplicas=2). More agents would stand idle, fewer would leave a data node unscheduled; adding a node group changes config.ini first (k8s-manifests/README.md, \"Scale\")."
  default     = 2
  nullable    = false

  validation {
    condition     = var.data_agent_count == local.ndb_data_node_count
    error_message = "data_agent_count must equal the data nodes that k8s-manifests/base/config/ndb/config.ini declares (${local.ndb_data_node_count}): one data node runs on each data-node agent."
  }
}

variable "root_volume_size_gb" {
  type        = number
  description = "Root volume size (GiB, gp3, encrypted) of the server and the app agents."
  default     = 30
  nullable    = false

  validation {
    condition     = var.root_volume_size_gb >= 20 && var.root_volume_size_gb <= 1024 && floor(var.root_volume_size_gb) == var.root_volume_size_gb
    error_message = "root_volume_size_gb must be a whole number from 20 to 1024."
  }
}

variable "data_agent_root_volume_size_gb" {
  type        = number
  description = "Root volume size (GiB, gp3, encrypted) of the data-node agents; NDB checkpoints and redo logs live on it through k3s's local-path volumes."
  default     = 50
  nullable    = false

  validation {
    condition     = var.data_agent_root_volume_size_gb >= 20 && var.data_agent_root_volume_size_gb <= 4096 && floor(var.data_agent_root_volume_size_gb) == var.data_agent_root_volume_size_gb
    error_message = "data_agent_root_volume_size_gb must be a whole number from 20 to 4096."
  }
}

# ---------------------------------------------------------------------------
# k3s
# ---------------------------------------------------------------------------

variable "k3s_version" {
  type        = string
  description = "k3s release installed on every node (INSTALL_K3S_VERSION), e.g. v1.32.5+k3s1: a release of the Kubernetes minor version the end-to-end test runs (local.tested_k3s_minor). Changing it replaces the nodes (see README, \"Upgrades\")."
  default     = "v1.32.5+k3s1"
  nullable    = false

  validation {
    condition     = can(regex("^v1\\.[0-9]+\\.[0-9]+\\+k3s[0-9]+$", var.k3s_version))
    error_message = "k3s_version must be a k3s release tag such as v1.32.5+k3s1."
  }

  validation {
    condition     = startswith(var.k3s_version, "v${local.tested_k3s_minor}.")
    error_message = "k3s_version must be a release of Kubernetes ${local.tested_k3s_minor}, the minor version the end-to-end test (k8s-manifests SingleNodeClusterTest) runs the manifests on."
  }
}

variable "k3s_token" {
  type        = string
  description = "Shared secret agents use to join the server (k3s --token-file). 32-256 characters from A-Z a-z 0-9 . _ -; make one with `openssl rand -hex 32`."
  sensitive   = true
  nullable    = false

  validation {
    condition     = length(var.k3s_token) >= 32 && length(var.k3s_token) <= 256
    error_message = "k3s_token must be 32 to 256 characters long."
  }

  validation {
    condition     = can(regex("^[A-Za-z0-9._-]+$", var.k3s_token))
    error_message = "k3s_token may only contain letters, digits, '.', '_' and '-'."
  }
}

variable "agent_join_timeout_seconds" {
  type        = number
  description = "How long an agent waits, in total, for the server's API to answer before its bootstrap gives up (it retries every 10 s)."
  default     = 600
  nullable    = false

  validation {
    condition     = var.agent_join_timeout_seconds >= 60 && var.agent_join_timeout_seconds <= 3600 && floor(var.agent_join_timeout_seconds) == var.agent_join_timeout_seconds
    error_message = "agent_join_timeout_seconds must be a whole number from 60 to 3600."
  }
}
