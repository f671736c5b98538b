variable "tf12_owners" {
  type    = list(string)
  default = []
}

data "aws_ami" "bastion" {
  most_recent = true
  owners      = var.tf12_owners

  filter {
    name   = "name"
    values = ["bastion-*"]
  }
}
