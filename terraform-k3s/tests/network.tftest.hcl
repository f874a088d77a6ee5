# The VPC built here, or an existing one, and how nodes are spread across its subnets.

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
}

run "existing_vpc_and_subnets_are_used_as_given" {
  command = plan

  variables {
    vpc_id     = "vpc-0123456789abcdef0"
    subnet_ids = ["subnet-0000000000000000a", "subnet-0000000000000000b"]
  }

  assert {
    condition     = length(aws_vpc.this) == 0 && length(aws_subnet.public) == 0 && length(aws_internet_gateway.this) == 0 && length(data.aws_availability_zones.available) == 0
    error_message = "No network is built when vpc_id and subnet_ids are given."
  }

  assert {
    condition = alltrue([
      for sg in [aws_security_group.cluster, aws_security_group.kube_api, aws_security_group.gatekeeper] : sg.vpc_id == "vpc-0123456789abcdef0"
    ])
    error_message = "Security groups belong to the given VPC."
  }

  assert {
    condition = (
      aws_instance.server.subnet_id == "subnet-0000000000000000a"
      && aws_instance.agent["ndb-data-1"].subnet_id == "subnet-0000000000000000a"
      && aws_instance.agent["ndb-data-2"].subnet_id == "subnet-0000000000000000b"
      && aws_instance.agent["app-1"].subnet_id == "subnet-0000000000000000a"
      && aws_instance.agent["app-2"].subnet_id == "subnet-0000000000000000b"
    )
    error_message = "Nodes of each role are spread across the given subnets in turn."
  }
}

run "new_vpc_has_one_public_subnet_per_zone" {
  command = apply

  assert {
    condition     = length(aws_vpc.this) == 1 && aws_vpc.this[0].cidr_block == "10.20.0.0/16" && aws_vpc.this[0].enable_dns_hostnames
    error_message = "A new VPC is built from vpc_cidr."
  }

  assert {
    condition     = tolist(aws_subnet.public[*].availability_zone) == tolist(["us-east-1a", "us-east-1b"]) && tolist(aws_subnet.public[*].cidr_block) == tolist(["10.20.0.0/20", "10.20.16.0/20"])
    error_message = "One /20 subnet in each of the first az_count zones."
  }

  assert {
    condition     = alltrue([for s in aws_subnet.public : !s.map_public_ip_on_launch])
    error_message = "Subnets do not hand out public addresses by default; instances ask for them."
  }

  assert {
    condition     = one([for r in aws_route_table.public[0].route : r.gateway_id if r.cidr_block == "0.0.0.0/0"]) == aws_internet_gateway.this[0].id && length(aws_route_table_association.public) == 2
    error_message = "Both subnets route to the internet gateway."
  }

  assert {
    condition     = length(aws_default_security_group.this[0].ingress) == 0 && length(aws_default_security_group.this[0].egress) == 0
    error_message = "The VPC's default security group is left without rules."
  }

  assert {
    condition = (
      aws_instance.server.subnet_id == aws_subnet.public[0].id
      && aws_instance.agent["ndb-data-1"].subnet_id == aws_subnet.public[0].id
      && aws_instance.agent["ndb-data-2"].subnet_id == aws_subnet.public[1].id
    )
    error_message = "The two data nodes of a node group start in different zones."
  }

  assert {
    condition     = alltrue([for i in concat([aws_instance.server], values(aws_instance.agent)) : i.associate_public_ip_address])
    error_message = "Every node has a public address (downloads, NodePort)."
  }
}

run "az_count_beyond_the_available_zones_fails" {
  command = plan

  variables {
    az_count = 3
  }

  override_data {
    target = data.aws_availability_zones.available
    values = { names = ["us-east-1a", "us-east-1b"] }
  }

  expect_failures = [aws_subnet.public]
}
