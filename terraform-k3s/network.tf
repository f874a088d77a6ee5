# A VPC with one public subnet per availability zone, unless an existing VPC and subnets
# are given. The nodes need public addresses: app agents serve the gatekeeper's NodePort,
# and every node downloads k3s and images (a NAT gateway would cost more than the nodes).

locals {
  create_vpc = var.vpc_id == null
  vpc_id     = local.create_vpc ? aws_vpc.this[0].id : var.vpc_id
  subnet_ids = local.create_vpc ? aws_subnet.public[*].id : var.subnet_ids
}

data "aws_availability_zones" "available" {
  count = local.create_vpc ? 1 : 0
  state = "available"

  # Local and Wavelength zones lack most instance types.
  filter {
    name   = "opt-in-status"
    values = ["opt-in-not-required"]
  }
}

resource "aws_vpc" "this" {
  count = local.create_vpc ? 1 : 0

  cidr_block           = var.vpc_cidr
  enable_dns_support   = true
  enable_dns_hostnames = true

  tags = { Name = var.name }
}

# Take every rule off the VPC's default security group: nothing here uses it, and an
# instance put in it by mistake must not inherit its allow-all-within-the-group rule.
resource "aws_default_security_group" "this" {
  count  = local.create_vpc ? 1 : 0
  vpc_id = aws_vpc.this[0].id

  tags = { Name = "${var.name}-default-closed" }
}

resource "aws_internet_gateway" "this" {
  count  = local.create_vpc ? 1 : 0
  vpc_id = aws_vpc.this[0].id

  tags = { Name = var.name }
}

resource "aws_subnet" "public" {
  count = local.create_vpc ? var.az_count : 0

  vpc_id            = aws_vpc.this[0].id
  availability_zone = data.aws_availability_zones.available[0].names[count.index]
  cidr_block        = cidrsubnet(var.vpc_cidr, 4, count.index)

  # Addresses are asked for per instance (associate_public_ip_address), not by default.
  map_public_ip_on_launch = false

  tags = { Name = "${var.name}-public-${data.aws_availability_zones.available[0].names[count.index]}" }

  lifecycle {
    precondition {
      condition     = length(data.aws_availability_zones.available[0].names) >= var.az_count
      error_message = "az_count is larger than the number of availability zones available in this region."
    }
  }
}

resource "aws_route_table" "public" {
  count  = local.create_vpc ? 1 : 0
  vpc_id = aws_vpc.this[0].id

  route {
    cidr_block = "0.0.0.0/0"
    gateway_id = aws_internet_gateway.this[0].id
  }

  tags = { Name = "${var.name}-public" }
}

resource "aws_route_table_association" "public" {
  count = local.create_vpc ? var.az_count : 0

  subnet_id      = aws_subnet.public[count.index].id
  route_table_id = aws_route_table.public[0].id
}
