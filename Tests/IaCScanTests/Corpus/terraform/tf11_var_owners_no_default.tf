variable "tf11_owners" {
  description = "Accounts allowed to publish the worker image; set by every caller."
  type        = list(string)
}

data "aws_ami" "worker" {
  most_recent = true
  owners      = var.tf11_owners

  filter {
    name   = "name"
    values = ["worker-*"]
  }
}
