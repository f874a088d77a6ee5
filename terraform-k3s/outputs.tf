locals {
  server_public_ip = aws_eip.server.public_ip
  kubeconfig_file  = "${var.name}-kubeconfig.yaml"
}

output "server_public_ip" {
  description = "Elastic IP of the k3s server: the Kubernetes API (6443) and SSH are reached here from admin_cidrs."
  value       = local.server_public_ip
}

output "server_private_ip" {
  description = "Private address of the k3s server, which the agents join."
  value       = aws_instance.server.private_ip
}

output "nodes_by_role" {
  description = "Every node's name and addresses, by role (server, app, ndb-data)."
  value = merge(
    {
      server = [{
        name       = aws_instance.server.tags["Name"]
        public_ip  = local.server_public_ip
        private_ip = aws_instance.server.private_ip
      }]
    },
    {
      for role in keys(local.agent_roles) : role => [
        for key, agent in aws_instance.agent : {
          name       = agent.tags["Name"]
          public_ip  = agent.public_ip
          private_ip = agent.private_ip
        } if local.agents[key].role == role
      ]
    },
  )
}

output "ssh_user" {
  description = "Login user of the nodes' operating system."
  value       = local.ssh_user
}

output "fetch_kubeconfig_command" {
  description = "Copies the server's kubeconfig (root-only on the server, so over ssh with sudo rather than scp) into the current directory and points it at the server's public address. Uses your ssh agent or ~/.ssh/config for the key; add -i <key file> otherwise."
  value = join(" ", [
    "(umask 077 &&",
    "ssh ${local.ssh_user}@${local.server_public_ip} 'sudo cat /etc/rancher/k3s/k3s.yaml'",
    "| sed 's/127\\.0\\.0\\.1/${local.server_public_ip}/'",
    "> ${local.kubeconfig_file})",
  ])
}

output "kubectl_env_command" {
  description = "Points kubectl at the cluster, once the kubeconfig has been fetched into the current directory."
  value       = "export KUBECONFIG=\"$PWD/${local.kubeconfig_file}\""
}

output "gatekeeper_url" {
  description = "The gatekeeper's NodePort on the first app agent (any app agent answers; clients must be in client_cidrs)."
  value       = "http://${aws_instance.agent["app-1"].public_ip}:${local.gatekeeper_node_port}"
}

output "ndb_data_node_placement" {
  description = "The label and taint the data-node agents carry: what the NDB data-node pods must select and tolerate."
  value = {
    node_selector = { (local.ndb_data_role.key) = local.ndb_data_role.value }
    toleration = {
      key      = local.ndb_data_role.key
      operator = "Equal"
      value    = local.ndb_data_role.value
      effect   = local.ndb_data_role.effect
    }
  }
}
