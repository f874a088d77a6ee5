# One k3s server, app agents, and NDB data-node agents (labelled and tainted).

# The server's public address is allocated before the server exists, so that its user
# data can put it in the API certificate (--tls-san) and the kubeconfig can use it; it
# also survives a stop and start.
resource "aws_eip" "server" {
  domain = "vpc"

  tags = { Name = "${var.name}-server" }
}

resource "aws_eip_association" "server" {
  allocation_id = aws_eip.server.id
  instance_id   = aws_instance.server.id
}

locals {
  server_user_data_template = "${path.module}/templates/k3s-server.sh.tftpl"
  agent_user_data_template  = "${path.module}/templates/k3s-agent.sh.tftpl"

  # Template inputs that depend on nothing built here; the server's addresses are added
  # where the instances are declared. check.sh renders the templates from these too.
  server_user_data_vars = {
    k3s_version = var.k3s_version
    k3s_token   = var.k3s_token
  }

  agent_user_data_vars = {
    for role, spec in local.agent_roles : role => {
      k3s_version          = var.k3s_version
      k3s_token            = var.k3s_token
      join_timeout_seconds = var.agent_join_timeout_seconds
      node_labels          = spec.node_labels
      node_taints          = spec.node_taints
    }
  }

  # Pods run in their own network namespace, one hop further than the node: a hop limit
  # of 1 keeps them away from the instance metadata (and the user data, which holds the
  # join token).
  metadata_options = {
    http_endpoint               = "enabled"
    http_tokens                 = "required"
    http_put_response_hop_limit = 1
    instance_metadata_tags      = "disabled"
  }
}

resource "aws_instance" "server" {
  ami                         = local.ami_id
  instance_type               = var.server_instance_type
  subnet_id                   = local.subnet_ids[0]
  vpc_security_group_ids      = [aws_security_group.cluster.id, aws_security_group.kube_api.id]
  associate_public_ip_address = true
  key_name                    = var.key_name

  user_data = templatefile(local.server_user_data_template, merge(local.server_user_data_vars, {
    tls_sans = [aws_eip.server.public_ip]
  }))
  # User data runs once, at first boot: a changed script only takes effect on a new instance.
  user_data_replace_on_change = true

  metadata_options {
    http_endpoint               = local.metadata_options.http_endpoint
    http_tokens                 = local.metadata_options.http_tokens
    http_put_response_hop_limit = local.metadata_options.http_put_response_hop_limit
    instance_metadata_tags      = local.metadata_options.instance_metadata_tags
  }

  root_block_device {
    volume_type           = "gp3"
    volume_size           = var.root_volume_size_gb
    encrypted             = true
    delete_on_termination = true
    tags                  = { Name = "${var.name}-server" }
  }

  tags = { Name = "${var.name}-server", Role = "server" }

  lifecycle {
    # A newer image must not replace a running node; see README, "Upgrades".
    ignore_changes = [ami]
  }
}

resource "aws_instance" "agent" {
  for_each = local.agents

  ami                         = local.ami_id
  instance_type               = local.agent_roles[each.value.role].instance_type
  subnet_id                   = local.subnet_ids[each.value.index % length(local.subnet_ids)]
  associate_public_ip_address = true
  key_name                    = var.key_name

  vpc_security_group_ids = concat(
    [aws_security_group.cluster.id],
    each.value.role == "app" ? [aws_security_group.gatekeeper.id] : [],
  )

  user_data = templatefile(local.agent_user_data_template, merge(local.agent_user_data_vars[each.value.role], {
    server_url = "https://${aws_instance.server.private_ip}:${local.kube_api_port}"
  }))
  user_data_replace_on_change = true

  metadata_options {
    http_endpoint               = local.metadata_options.http_endpoint
    http_tokens                 = local.metadata_options.http_tokens
    http_put_response_hop_limit = local.metadata_options.http_put_response_hop_limit
    instance_metadata_tags      = local.metadata_options.instance_metadata_tags
  }

  root_block_device {
    volume_type           = "gp3"
    volume_size           = local.agent_roles[each.value.role].root_volume_size_gb
    encrypted             = true
    delete_on_termination = true
    tags                  = { Name = "${var.name}-${each.key}" }
  }

  tags = { Name = "${var.name}-${each.key}", Role = each.value.role }

  lifecycle {
    ignore_changes = [ami]
  }
}
