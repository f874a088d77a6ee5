# One run per validation rule: each bad value must be rejected by the rule written for it.

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

run "name_must_be_a_short_lowercase_label" {
  command = plan

  variables {
    name = "Sqlgate_Prod"
  }

  expect_failures = [var.name]
}

run "region_must_be_a_region_name" {
  command = plan

  variables {
    region = "us-east"
  }

  expect_failures = [var.region]
}

run "tags_must_not_use_the_reserved_aws_prefix" {
  command = plan

  variables {
    tags = { "aws:owner" = "platform" }
  }

  expect_failures = [var.tags]
}

run "vpc_cidr_must_be_an_ipv4_network_from_16_to_24" {
  command = plan

  variables {
    vpc_cidr = "10.20.0.0/12"
  }

  expect_failures = [var.vpc_cidr]
}

run "az_count_must_be_1_to_6" {
  command = plan

  variables {
    az_count = 0
  }

  expect_failures = [var.az_count]
}

run "vpc_id_must_look_like_a_vpc_id" {
  command = plan

  variables {
    vpc_id     = "my-vpc"
    subnet_ids = ["subnet-0000000000000000a"]
  }

  expect_failures = [var.vpc_id]
}

run "subnet_ids_must_look_like_subnet_ids" {
  command = plan

  variables {
    vpc_id     = "vpc-0123456789abcdef0"
    subnet_ids = ["public-a"]
  }

  expect_failures = [var.subnet_ids]
}

run "vpc_id_needs_subnet_ids" {
  command = plan

  variables {
    vpc_id = "vpc-0123456789abcdef0"
  }

  expect_failures = [var.subnet_ids]
}

run "admin_cidrs_must_not_be_empty" {
  command = plan

  variables {
    admin_cidrs = []
  }

  expect_failures = [var.admin_cidrs]
}

run "admin_cidrs_must_be_ipv4_networks" {
  command = plan

  variables {
    admin_cidrs = ["203.0.113.7"]
  }

  expect_failures = [var.admin_cidrs]
}

run "admin_cidrs_must_not_open_to_the_internet" {
  command = plan

  variables {
    admin_cidrs = ["203.0.113.7/32", "0.0.0.0/0"]
  }

  expect_failures = [var.admin_cidrs]
}

run "client_cidrs_must_not_be_empty" {
  command = plan

  variables {
    client_cidrs = []
  }

  expect_failures = [var.client_cidrs]
}

run "client_cidrs_must_be_ipv4_networks" {
  command = plan

  variables {
    client_cidrs = ["192.0.2.1/24"]
  }

  expect_failures = [var.client_cidrs]
}

run "os_must_be_a_supported_distribution" {
  command = plan

  variables {
    os = "centos-7"
  }

  expect_failures = [var.os]
}

run "architecture_must_be_named_x86_64" {
  command = plan

  variables {
    architecture = "amd64"
  }

  expect_failures = [var.architecture]
}

run "architecture_must_not_be_arm64_which_the_images_are_not_built_for" {
  command = plan

  variables {
    architecture = "arm64"
  }

  expect_failures = [var.architecture]
}

run "ami_id_must_look_like_an_ami_id" {
  command = plan

  variables {
    ami_id = "ubuntu-22.04"
  }

  expect_failures = [var.ami_id]
}

run "key_name_must_be_printable" {
  command = plan

  variables {
    key_name = ""
  }

  expect_failures = [var.key_name]
}

run "server_instance_type_must_be_an_instance_type" {
  command = plan

  variables {
    server_instance_type = "medium"
  }

  expect_failures = [var.server_instance_type]
}

run "app_agent_instance_type_must_be_an_instance_type" {
  command = plan

  variables {
    app_agent_instance_type = "T3.Large"
  }

  expect_failures = [var.app_agent_instance_type]
}

run "data_agent_instance_type_must_be_an_instance_type" {
  command = plan

  variables {
    data_agent_instance_type = "t3 large"
  }

  expect_failures = [var.data_agent_instance_type]
}

run "app_agent_count_must_be_at_least_one" {
  command = plan

  variables {
    app_agent_count = 0
  }

  expect_failures = [var.app_agent_count]
}

run "data_agent_count_must_not_exceed_the_data_nodes_of_config_ini" {
  command = plan

  variables {
    data_agent_count = 4
  }

  expect_failures = [var.data_agent_count]
}

run "data_agent_count_must_not_fall_short_of_the_data_nodes_of_config_ini" {
  command = plan

  variables {
    data_agent_count = 1
  }

  expect_failures = [var.data_agent_count]
}

run "root_volume_size_must_be_20_to_1024" {
  command = plan

  variables {
    root_volume_size_gb = 8
  }

  expect_failures = [var.root_volume_size_gb]
}

run "data_agent_root_volume_size_must_be_20_to_4096" {
  command = plan

  variables {
    data_agent_root_volume_size_gb = 10.5
  }

  expect_failures = [var.data_agent_root_volume_size_gb]
}

run "k3s_version_must_be_a_release_tag" {
  command = plan

  variables {
    k3s_version = "latest"
  }

  expect_failures = [var.k3s_version]
}

run "k3s_version_must_be_of_the_minor_version_the_end_to_end_test_runs" {
  command = plan

  variables {
    k3s_version = "v1.31.14+k3s1"
  }

  expect_failures = [var.k3s_version]
}

run "k3s_token_must_be_at_least_32_characters" {
  command = plan

  variables {
    k3s_token = "0123456789abcdef"
  }

  expect_failures = [var.k3s_token]
}

run "k3s_token_must_use_safe_characters" {
  command = plan

  variables {
    k3s_token = "0123456789abcdef0123456789abcdef'; reboot; '"
  }

  expect_failures = [var.k3s_token]
}

run "agent_join_timeout_must_be_60_to_3600" {
  command = plan

  variables {
    agent_join_timeout_seconds = 30
  }

  expect_failures = [var.agent_join_timeout_seconds]
}
