terraform {
  # 1.9 brings validations that compare two variables (vpc_id with subnet_ids);
  # the tests use mock providers (1.7+).
  required_version = ">= 1.9.0"

  required_providers {
    aws = {
      source  = "hashicorp/aws"
      version = "~> 5.100"
    }
  }
}
