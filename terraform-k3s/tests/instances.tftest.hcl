# Instances by role, their hardening, and what their user data tells k3s.
# Plan-only runs come first: runs in a file share state, and a node's image is fixed once
# it exists (lifecycle ignore_changes), so the image runs must not follow an apply.

mock_provider "aws" {
  mock_data "aws_ami" {
    defaults = { id = "ami-0a1b2c3d4e5f60718" }
  }
  mock_data "aws_availability_zones" {
    defaults = { names = ["us-east-1a", "us-east-1b", "us-east-1c"] }
  }
}

variables {
  admin_cidrs  = ["203.0.113.7/32"]
  client_cidrs = ["0.0.0.0/0"]
  k3s_token    = "test-token-0123456789abcdef0123456789abcdef"
  key_name     = "ops"
}

run "default_counts_and_types_by_role" {
  command = plan

  assert {
    condition     = length([for k, a in local.agents : k if a.role == "app"]) == 2
    error_message = "Expected 2 app agents by default."
  }

  assert {
    condition     = length([for k, a in local.agents : k if a.role == "ndb-data"]) == 2
    error_message = "Expected 2 data-node agents by default."
  }

  assert {
    condition     = toset(keys(aws_instance.agent)) == toset(["app-1", "app-2", "ndb-data-1", "ndb-data-2"])
    error_message = "Agents are named by role and number."
  }

  assert {
    condition     = aws_instance.server.instance_type == "t3.medium" && aws_instance.agent["app-1"].instance_type == "t3.large" && aws_instance.agent["ndb-data-1"].instance_type == "t3.large"
    error_message = "Default instance types: server t3.medium, agents t3.large."
  }

  assert {
    condition     = aws_instance.server.root_block_device[0].volume_size == 30 && aws_instance.agent["app-2"].root_block_device[0].volume_size == 30 && aws_instance.agent["ndb-data-2"].root_block_device[0].volume_size == 50
    error_message = "Default root volumes: 30 GiB, 50 GiB on data nodes."
  }

  assert {
    condition     = aws_instance.server.key_name == "ops" && alltrue([for a in values(aws_instance.agent) : a.key_name == "ops"])
    error_message = "Every node gets the key pair."
  }
}

run "counts_and_types_follow_the_variables" {
  command = plan

  variables {
    app_agent_count          = 3
    data_agent_instance_type = "r6i.large"
  }

  assert {
    condition     = length([for k, i in aws_instance.agent : k if i.tags["Role"] == "app"]) == 3
    error_message = "Expected 3 app agents."
  }

  assert {
    condition     = length([for k, i in aws_instance.agent : k if i.tags["Role"] == "ndb-data"]) == 2
    error_message = "Expected 2 data-node agents, one per data node of config.ini."
  }

  assert {
    condition     = alltrue([for k, i in aws_instance.agent : i.instance_type == "r6i.large" if i.tags["Role"] == "ndb-data"])
    error_message = "Data-node agents use data_agent_instance_type."
  }
}

run "image_is_looked_up_from_the_official_publisher" {
  command = plan

  assert {
    condition     = aws_instance.server.ami == "ami-0a1b2c3d4e5f60718" && alltrue([for a in values(aws_instance.agent) : a.ami == "ami-0a1b2c3d4e5f60718"])
    error_message = "Every node uses the looked-up image."
  }

  assert {
    condition     = tolist(data.aws_ami.node[0].owners) == tolist(["099720109477"]) && output.ssh_user == "ubuntu"
    error_message = "Ubuntu images come from Canonical, and log in as ubuntu."
  }
}

run "debian_images_come_from_debian" {
  command = plan

  variables {
    os = "debian-12"
  }

  assert {
    condition     = tolist(data.aws_ami.node[0].owners) == tolist(["136693071363"]) && output.ssh_user == "admin"
    error_message = "Debian images come from Debian, and log in as admin."
  }

  assert {
    condition     = anytrue([for f in data.aws_ami.node[0].filter : f.name == "name" && contains(f.values, "debian-12-amd64-*")])
    error_message = "The Debian lookup must ask for the chosen architecture."
  }
}

run "ami_id_overrides_the_lookup" {
  command = plan

  variables {
    ami_id = "ami-00000000000000001"
  }

  assert {
    condition     = length(data.aws_ami.node) == 0
    error_message = "No lookup when ami_id is given."
  }

  assert {
    condition     = aws_instance.server.ami == "ami-00000000000000001" && alltrue([for a in values(aws_instance.agent) : a.ami == "ami-00000000000000001"])
    error_message = "Every node uses ami_id."
  }
}

run "every_instance_requires_imdsv2_and_encrypts_its_root_volume" {
  command = apply

  assert {
    condition = alltrue([
      for i in concat([aws_instance.server], values(aws_instance.agent)) :
      i.metadata_options[0].http_tokens == "required" && i.metadata_options[0].http_endpoint == "enabled" && i.metadata_options[0].http_put_response_hop_limit == 1
    ])
    error_message = "Every instance must require IMDSv2 tokens, with a hop limit of 1."
  }

  assert {
    condition = alltrue([
      for i in concat([aws_instance.server], values(aws_instance.agent)) :
      i.root_block_device[0].encrypted == true && i.root_block_device[0].volume_type == "gp3" && i.root_block_device[0].delete_on_termination == true
    ])
    error_message = "Every root volume must be encrypted gp3."
  }

  assert {
    condition     = length(aws_instance.agent) == 4
    error_message = "Expected 4 agents."
  }
}

run "only_data_nodes_are_labelled_and_tainted" {
  command = apply

  assert {
    condition     = tolist(local.agent_roles["ndb-data"].node_labels) == tolist(["sqlgate.io/role=ndb-data"]) && tolist(local.agent_roles["ndb-data"].node_taints) == tolist(["sqlgate.io/role=ndb-data:NoSchedule"])
    error_message = "The data-node role must be sqlgate.io/role=ndb-data, tainted NoSchedule (the contract with k8s-manifests)."
  }

  assert {
    condition = alltrue([
      for k, i in aws_instance.agent :
      strcontains(i.user_data, "agent_args+=(--node-label 'sqlgate.io/role=ndb-data')")
      && strcontains(i.user_data, "agent_args+=(--node-taint 'sqlgate.io/role=ndb-data:NoSchedule')")
      if local.agents[k].role == "ndb-data"
    ])
    error_message = "Every data-node agent must join with the ndb-data label and taint."
  }

  assert {
    condition = alltrue([
      for k, i in aws_instance.agent :
      !strcontains(i.user_data, "--node-taint") && !strcontains(i.user_data, "--node-label") && !strcontains(i.user_data, "ndb-data")
      if local.agents[k].role == "app"
    ])
    error_message = "App agents must carry no label or taint."
  }

  assert {
    condition     = !strcontains(aws_instance.server.user_data, "--node-taint") && !strcontains(aws_instance.server.user_data, "ndb-data")
    error_message = "The server must carry no data-node label or taint."
  }

  assert {
    condition     = output.ndb_data_node_placement.node_selector["sqlgate.io/role"] == "ndb-data" && output.ndb_data_node_placement.toleration.effect == "NoSchedule"
    error_message = "The placement output must match the data nodes' label and taint."
  }
}

run "user_data_pins_the_k3s_version" {
  command = apply

  variables {
    k3s_version = "v1.32.3+k3s1"
  }

  assert {
    condition = alltrue([
      for i in concat([aws_instance.server], values(aws_instance.agent)) :
      strcontains(i.user_data, "readonly K3S_VERSION='v1.32.3+k3s1'")
      && strcontains(i.user_data, "INSTALL_K3S_VERSION=\"$K3S_VERSION\" sh \"$installer\"")
      && startswith(i.user_data, "#!/bin/bash\n")
      && strcontains(i.user_data, "\nset -euo pipefail\n")
    ])
    error_message = "Every node must install exactly k3s_version with a strict bash script."
  }
}

run "server_is_started_with_the_expected_flags" {
  command = apply

  assert {
    condition = alltrue([
      for flag in [
        "  server\n",
        "  --disable traefik\n",
        "  --write-kubeconfig-mode 0600\n",
        "  --secrets-encryption\n",
        "  --token-file \"$TOKEN_FILE\"\n",
        "server_args+=(--tls-san '${aws_eip.server.public_ip}')",
      ] : strcontains(aws_instance.server.user_data, flag)
    ])
    error_message = "The server must disable traefik, keep the kubeconfig 0600, encrypt secrets, read the token from a file and certify its public address."
  }

  assert {
    condition     = aws_eip_association.server.instance_id == aws_instance.server.id && aws_eip_association.server.allocation_id == aws_eip.server.id
    error_message = "The Elastic IP in the certificate must be the server's."
  }
}

run "agents_wait_for_and_join_the_server" {
  command = apply

  variables {
    agent_join_timeout_seconds = 900
  }

  assert {
    condition = alltrue([
      for i in values(aws_instance.agent) :
      strcontains(i.user_data, "readonly SERVER_URL='https://${aws_instance.server.private_ip}:6443'")
      && strcontains(i.user_data, "readonly JOIN_TIMEOUT_SECONDS=900\n")
      && strcontains(i.user_data, "\"$SERVER_URL/ping\"")
      && strcontains(i.user_data, "--server \"$SERVER_URL\"")
    ])
    error_message = "Every agent must wait (bounded) for the server's private address, then join it."
  }

  assert {
    condition = alltrue([
      for i in concat([aws_instance.server], values(aws_instance.agent)) :
      strcontains(i.user_data, "printf '%s\\n' 'test-token-0123456789abcdef0123456789abcdef' >\"$TOKEN_FILE\"")
      && issensitive(i.user_data)
    ])
    error_message = "Every node writes the token to its token file, and the user data is sensitive."
  }
}

run "outputs_lead_to_the_cluster" {
  command = apply

  assert {
    condition     = output.gatekeeper_url == "http://${aws_instance.agent["app-1"].public_ip}:30080"
    error_message = "The gatekeeper URL is the first app agent's public address on NodePort 30080."
  }

  assert {
    condition     = output.fetch_kubeconfig_command == "(umask 077 && ssh ubuntu@${aws_eip.server.public_ip} 'sudo cat /etc/rancher/k3s/k3s.yaml' | sed 's/127\\.0\\.0\\.1/${aws_eip.server.public_ip}/' > sqlgate-kubeconfig.yaml)"
    error_message = "The kubeconfig command must read the server's kubeconfig and point it at the Elastic IP."
  }

  assert {
    condition     = output.kubectl_env_command == "export KUBECONFIG=\"$PWD/sqlgate-kubeconfig.yaml\""
    error_message = "The kubectl command must point KUBECONFIG at the fetched file."
  }

  assert {
    condition     = length(output.nodes_by_role["server"]) == 1 && length(output.nodes_by_role["app"]) == 2 && length(output.nodes_by_role["ndb-data"]) == 2
    error_message = "Nodes by role: 1 server, 2 app agents, 2 data-node agents."
  }

  assert {
    condition     = output.server_public_ip == aws_eip.server.public_ip && output.server_private_ip == aws_instance.server.private_ip
    error_message = "Server addresses."
  }
}
